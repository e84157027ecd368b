using FederatedCare.Protos.V1;
using Grpc.Net.Client;

namespace FederatedCare.Coordinator.Tests.Web;

/// <summary>
/// A job on two <see cref="AutoNode"/>s whose fit rounds from <see cref="FirstHeldRound"/> on wait for the test to let
/// them through (<see cref="LetRoundThrough"/>), so a page or a scrape sees the job running and its rounds advance one
/// by one, with no clock involved.
/// </summary>
internal sealed class WebJob : IAsyncDisposable
{
    public const string JobId = "web-job";
    public const int Rounds = 4;
    public const int FirstHeldRound = 2;
    private static readonly string[] Regions = ["Halland", "Karolinska"];

    private readonly List<AutoNode> _nodes = [];
    private readonly SemaphoreSlim _gate = new(0);

    private WebJob(GrpcChannel channel) => Channel = channel;

    public GrpcChannel Channel { get; }

    /// <summary>Connects the nodes and submits the job; <paramref name="hold"/> false lets every round through at once.</summary>
    public static async Task<WebJob> StartAsync(GrpcChannel channel, bool hold = true)
    {
        var job = new WebJob(channel);
        foreach (var region in Regions)
        {
            var node = await AutoNode.StartAsync(channel, region);
            if (hold)
                node.BeforeTask = async (_, task) =>
                {
                    if (task.KindCase == NodeTask.KindOneofCase.Fit && task.Round >= FirstHeldRound) await job._gate.WaitAsync();
                };
            job._nodes.Add(node);
        }
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = Rounds;
        await new Operator.OperatorClient(channel).StartJobAsync(new StartJobRequest { Spec = spec, JobId = JobId });
        return job;
    }

    /// <summary>Lets every node train the next held fit round.</summary>
    public void LetRoundThrough() => _gate.Release(_nodes.Count);

    /// <summary>Lets every remaining round through.</summary>
    public void LetAllThrough() => _gate.Release(_nodes.Count * Rounds);

    /// <summary>Completes once the job's stored current round is <paramref name="round"/> or later (WatchJob, no polling).</summary>
    public async Task RoundReachedAsync(int round)
    {
        using var watch = new Operator.OperatorClient(Channel).WatchJob(new GetJobRequest { JobId = JobId });
        while (await watch.ResponseStream.MoveNext(CancellationToken.None))
            if (watch.ResponseStream.Current.Status.CurrentRound >= round) return;
        throw new InvalidOperationException($"Job {JobId} ended before round {round}.");
    }

    /// <summary>Waits for the job's end; returns its final state.</summary>
    public async Task<JobState> EndAsync()
    {
        using var watch = new Operator.OperatorClient(Channel).WatchJob(new GetJobRequest { JobId = JobId });
        JobState last = JobState.Unspecified;
        while (await watch.ResponseStream.MoveNext(CancellationToken.None)) last = watch.ResponseStream.Current.Status.State;
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        LetAllThrough();
        foreach (var node in _nodes) await node.DisposeAsync();
    }
}
