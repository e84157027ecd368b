using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace FederatedCare.IntegrationTests.Bounds;

/// <summary>
/// The coordinator's log as its console shows it: each event rendered with the console's own message template
/// (<c>{Message:lj}</c>, strings written as they are), so a test sees exactly what an operator would read.
/// </summary>
internal sealed class CapturedLog : ILogEventSink
{
    private readonly MessageTemplateTextFormatter _format = new("[{Level:u3}] {Message:lj}{NewLine}", System.Globalization.CultureInfo.InvariantCulture);
    private readonly ConcurrentQueue<string> _events = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Everything logged so far, as one text.</summary>
    public string Text => string.Concat(_events);

    /// <summary>Routes the coordinator's logging (Information and up) to this sink instead of the console.</summary>
    public void Attach(WebApplicationBuilder builder) => builder.Services.AddSerilog(
        (_, logger) => logger.MinimumLevel.Information().WriteTo.Sink(this), preserveStaticLogger: true);

    /// <summary>Completes once the log's text satisfies <paramref name="condition"/> (checked after each event).</summary>
    public async Task WaitUntilAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task next;
            lock (_gate) next = _logged.Task;
            if (condition(Text)) return;
            await next.WaitAsync(cts.Token);
        }
    }

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        _format.Format(logEvent, text);
        _events.Enqueue(text.ToString());
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _logged;
            _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }
}
