using System.Text.Json.Nodes;
using FederatedCare.Coordinator.Jobs;

namespace FederatedCare.Coordinator.Web.Dashboard;

/// <summary>
/// <c>/api/events</c>: server-sent events of every job (<c>event: job</c>, data <c>{"job": summary, "round": RoundSummary
/// or null}</c>), fed by <see cref="JobEvents"/>. At most <see cref="WebOptions.MaxEventStreams"/> streams at once (one
/// more answers 503); a stream lasts <see cref="WebOptions.EventStreamSeconds"/> (the page reconnects after its
/// <c>retry</c> of 3 s and reads the state again) and ends as soon as the coordinator stops.
/// </summary>
internal sealed class DashboardEvents(JobEvents events, WebOptions options, IHostApplicationLifetime lifetime)
{
    private int _open;

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder web) =>
        web.MapGet("/api/events", (HttpContext context, DashboardEvents stream) => stream.StreamAsync(context));

    /// <summary>Streams until the client goes or the coordinator stops.</summary>
    public async Task StreamAsync(HttpContext context)
    {
        if (Interlocked.Increment(ref _open) > options.MaxEventStreams)
        {
            Interlocked.Decrement(ref _open);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"At most {options.MaxEventStreams} dashboard event streams at once.\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        try
        {
            using var subscription = events.SubscribeAll();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            stop.CancelAfter(TimeSpan.FromSeconds(options.EventStreamSeconds));
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            // The comment line opens the stream at once, so the page knows it is connected before the first event.
            await response.WriteAsync(": connected\nretry: 3000\n\n", stop.Token).ConfigureAwait(false);
            await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            await foreach (var e in subscription.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var data = new JsonObject
                {
                    ["job"] = DashboardJson.Summary(e.Status),
                    ["round"] = e.Round is null ? null : DashboardJson.Of(WithoutMetrics(e.Round)),
                };
                await response.WriteAsync($"event: job\ndata: {data.ToJsonString()}\n\n", stop.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away or the coordinator stops: the stream just ends.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    // The page reads the round's metrics with the job (/api/jobs/{id}); the event only says that the round is there.
    private static Protos.V1.RoundSummary WithoutMetrics(Protos.V1.RoundSummary round)
    {
        var copy = round.Clone();
        copy.Metrics.Clear();
        return copy;
    }
}
