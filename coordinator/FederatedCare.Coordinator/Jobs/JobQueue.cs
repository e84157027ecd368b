using System.Threading.Channels;

namespace FederatedCare.Coordinator.Jobs;

/// <summary>Job ids waiting for the runner, first in first out.</summary>
internal sealed class JobQueue
{
    private readonly Channel<string> _jobs = Channel.CreateUnbounded<string>();

    public void Enqueue(string jobId) => _jobs.Writer.TryWrite(jobId);

    public ChannelReader<string> Reader => _jobs.Reader;
}
