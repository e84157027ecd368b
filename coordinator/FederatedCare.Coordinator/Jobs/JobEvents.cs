using System.Collections.Concurrent;
using System.Threading.Channels;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Protos.V1;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>Fan-out of <see cref="JobEvent"/>s to the WatchJob streams of each job.</summary>
internal sealed class JobEvents : IJobEventSink
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<JobEvent>, byte>> _watchers = new(StringComparer.Ordinal);

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

    public void Publish(JobEvent e)
    {
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
