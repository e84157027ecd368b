using FederatedCare.Coordinator.Extensions;
using FederatedCare.IntegrationTests.Security;
using FederatedCare.NodeAgent.Extensions;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// A real coordinator and four real node agents (the agent's own host wiring, TorchSharp training) talking gRPC over
/// 127.0.0.1, all in this process. The four UCI hospitals stand in for the four regions, as in the demo.
/// </summary>
internal sealed class Federation : IAsyncDisposable
{
    public static readonly (string Region, string File)[] Regions =
    [
        ("Halland", "processed.cleveland.data"),
        ("Karolinska", "processed.hungarian.data"),
        ("Sahlgrenska", "processed.switzerland.data"),
        ("Örebro", "processed.va.data"),
    ];

    private readonly List<IHost> _agents = [];

    private Federation(RunningCoordinator coordinator, RecordingInterceptor recorder, GrpcChannel channel)
    {
        Coordinator = coordinator;
        Recorder = recorder;
        Operator = new Operator.OperatorClient(channel);
        Research = new Research.ResearchClient(channel);
    }

    public RunningCoordinator Coordinator { get; }

    /// <summary>The agents' hosts, in the order of their arguments (e.g. to read an agent's audit log).</summary>
    public IReadOnlyList<IHost> Agents => _agents;
    public RecordingInterceptor Recorder { get; }
    public Operator.OperatorClient Operator { get; }
    public Research.ResearchClient Research { get; }

    /// <summary>
    /// The demo's federation: four agents started from examples/heart-disease/nodes/*.json; with <paramref name="pki"/>
    /// over mutual TLS, each agent with its region's certificate and the clients with operator alice's.
    /// </summary>
    public static Task<Federation> StartAsync(TestPki? pki = null) => StartAsync(DemoAgents(pki), pki);

    /// <summary>
    /// The demo's four agents (examples/heart-disease/nodes/*.json, with <paramref name="pki"/> over mutual TLS), each
    /// with the extra arguments <paramref name="extra"/> gives its region (e.g. a stricter policy for one region).
    /// </summary>
    public static IReadOnlyList<string[]> DemoAgents(TestPki? pki = null, Func<string, IEnumerable<string>>? extra = null) =>
        Regions.Select(r => (string[])
        [
            "--config", DemoConfig(r.Region),
            .. pki?.NodeArgs(r.Region) ?? [],
            .. extra?.Invoke(r.Region) ?? [],
        ]).ToList();

    /// <summary>The demo node configuration file of <paramref name="region"/>.</summary>
    public static string DemoConfig(string region) => Path.Combine(RepositoryPaths.Root, "examples", "heart-disease", "nodes", ConfigName(region) + ".json");

    /// <summary>The node configuration file name of a demo region (Örebro → orebro).</summary>
    public static string ConfigName(string region) => region == "Örebro" ? "orebro" : region.ToLowerInvariant();

    /// <summary>
    /// A coordinator (with <paramref name="coordinatorArgs"/>; on <paramref name="clock"/> when given, so that round
    /// deadlines pass only when the test advances it) and one agent per entry of <paramref name="agentArgs"/> (extra
    /// command-line arguments).
    /// </summary>
    public static async Task<Federation> StartAsync(IReadOnlyList<string[]> agentArgs, TestPki? pki = null, TimeProvider? clock = null,
        params string[] coordinatorArgs)
    {
        var recorder = new RecordingInterceptor();
        var coordinator = await CoordinatorHost.StartAsync(
            [$"--Coordinator:DataDirectory={RepositoryPaths.TempDirectory()}", "--Coordinator:HeartbeatSeconds=1", .. pki?.CoordinatorArgs() ?? [], .. coordinatorArgs],
            builder =>
            {
                builder.Services.AddSingleton(recorder);
                builder.Services.AddGrpc(o => o.Interceptors.Add<RecordingInterceptor>());
                if (clock is not null) builder.Services.AddSingleton(clock);
            });
        var federation = new Federation(coordinator, recorder, pki?.Channel(coordinator.Address, TestPki.Alice) ?? coordinator.CreateChannel());
        foreach (var extra in agentArgs)
        {
            var agent = NodeAgentHost.CreateBuilder(
            [
                .. extra,
                $"--NodeAgent:CoordinatorAddress={coordinator.Address}",
                "--Serilog:MinimumLevel:Default=Warning",
            ]).Build();
            await agent.StartAsync();
            federation._agents.Add(agent);
        }
        return federation;
    }

    /// <summary>Starts a job and follows it to its end; returns the final status.</summary>
    public async Task<JobStatus> RunJobAsync(JobSpec spec, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var status = await Operator.StartJobAsync(new StartJobRequest { Spec = spec }, cancellationToken: cts.Token);
        using var watch = Operator.WatchJob(new GetJobRequest { JobId = status.JobId }, cancellationToken: cts.Token);
        await foreach (var _ in watch.ResponseStream.ReadAllAsync(cts.Token))
        {
        }
        return await Operator.GetJobAsync(new GetJobRequest { JobId = status.JobId }, cancellationToken: cts.Token);
    }

    /// <summary>
    /// The region's entry in the node list once an agent running as its own process has registered (polled, at most two
    /// minutes; the agent process stopping fails the test with its standard error).
    /// </summary>
    public async Task<NodeInfo> WaitForRegistrationAsync(string region, AppProcess agent)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var cap = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await poll.WaitForNextTickAsync(cap.Token))
        {
            var nodes = await Operator.ListNodesAsync(new ListNodesRequest());
            if (nodes.Nodes.FirstOrDefault(n => n.Region == region) is { } node) return node;
            if (agent.HasExited) throw new InvalidOperationException($"{region}'s agent stopped:\n{agent.Stderr}");
        }
        throw new OperationCanceledException();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.StopAsync();
            agent.Dispose();
        }
        await Coordinator.DisposeAsync();
    }
}
