using System.Collections.Concurrent;
using System.Threading.Channels;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Metrics;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>
/// Fan-out of <see cref="JobEvent"/>s to the WatchJob streams of each job and to the dashboard's event streams (every
/// job); each event also goes to the meters (rounds completed and their duration, jobs by state).
/// </summary>
internal sealed class JobEvents(FederationMetrics? metrics = null) : IJobEventSink
{
    /// <summary>Events a dashboard stream may lag behind before the oldest are dropped (the page re-reads on each round).</summary>
    private const int AllJobsBacklog = 256;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<JobEvent>, byte>> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<JobEvent>, byte> _allJobs = new();

    /// <summary>Subscribes before the caller reads the stored state, so no event falls between the two.</summary>
    public Subscription Subscribe(string jobId)
    {
        var channel = Channel.CreateUnbounded<JobEvent>(new UnboundedChannelOptions { SingleReader = true });
        _watchers.GetOrAdd(jobId, _ => new())[channel] = 0;
        return new Subscription(channel.Reader, () =>
        {
            if (_watchers.TryGetValue(jobId, out var set)) set.TryRemove(channel, out _);
        });
    }

    /// <summary>
    /// Subscribes to every job's events, at most <see cref="AllJobsBacklog"/> unread (a slow reader loses the oldest,
    /// never blocks the engine).
    /// </summary>
    public Subscription SubscribeAll()
    {
        var channel = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(AllJobsBacklog)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        _allJobs[channel] = 0;
        return new Subscription(channel.Reader, () => _allJobs.TryRemove(channel, out _));
    }

    public void Publish(JobEvent e)
    {
        if (metrics is not null)
        {
            metrics.JobChanged(e.Status.JobId, e.Status.State);
            if (e.Round is { } round) metrics.RoundCompleted(round.DurationSeconds);
        }
        foreach (var channel in _allJobs.Keys) channel.Writer.TryWrite(e.Clone());
        if (!_watchers.TryGetValue(e.Status.JobId, out var set)) return;
        foreach (var channel in set.Keys) channel.Writer.TryWrite(e.Clone());
    }

    /// <inheritdoc />
    public void Publish(JobStatus status, RoundSummary? round = null) =>
        Publish(new JobEvent { Status = status, Round = round });

    internal sealed class Subscription(ChannelReader<JobEvent> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<JobEvent> Reader { get; } = reader;

        public void Dispose() => unsubscribe();
    }
}
