using System.Security.Cryptography;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>
/// Whole jobs on each database, over real loopback gRPC with scripted nodes: the same job stores the same rounds,
/// metrics and model files on SQLite and on PostgreSQL, and a coordinator killed with SIGKILL mid-round resumes the job
/// on either. Nothing here waits for a deadline to pass: nodes answer at once, and job ends arrive on WatchJob.
/// </summary>
public class StoreBackendJobTests
{
    private static readonly string[] Regions = ["Halland", "Karolinska"];

    private static JobSpec Spec()
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 4;
        spec.Strategy = new StrategySpec { Name = "fedadam" };
        return spec;
    }

    private static async Task<string[]> StoreArgsAsync(string store) => store switch
    {
        "sqlite" => [],
        _ => ["--Coordinator:Store=postgres", $"--Coordinator:Postgres:ConnectionString={await TestPostgres.CreateDatabaseAsync()}"],
    };

    /// <summary>Everything a finished job left in the store that does not depend on the clock.</summary>
    internal static async Task<List<string>> ContentsAsync(ICoordinatorStore store, string jobId)
    {
        var lines = new List<string> { $"job {(await store.Jobs.GetAsync(jobId))!.State}" };
        foreach (var r in await store.Rounds.ListAsync(jobId))
            lines.Add($"round {r.Round} {r.ModelSha256} {string.Join(",", r.Participants)} {r.NumExamples} {r.Privacy} [{string.Join("; ", r.Metrics)}]");
        lines.AddRange((await store.Metrics.ListAsync(jobId, null)).Select(m => $"metrics {m}"));
        lines.AddRange((await store.Metrics.ListCrossSiteAsync(jobId)).Select(e => $"cross-site {e}"));
        foreach (var (name, sha) in await store.Models.ListAsync(jobId, ""))
        {
            await using var file = await store.Models.OpenReadAsync(jobId, sha);
            lines.Add($"model {name} {sha} file {Convert.ToHexStringLower(await SHA256.HashDataAsync(file!))}");
        }
        // Nodes' entries interleave as their calls arrive, and an operator's actor names its client port: sorted, without it.
        lines.AddRange((await store.Audit.ListAsync(jobId)).Select(a => $"audit {(a.Actor.StartsWith("operator", StringComparison.Ordinal) ? "operator" : a.Actor)} {a.Action} {a.Round}")
            .Order(StringComparer.Ordinal));
        return lines;
    }

    internal static async Task<JobStatus> WaitForEndAsync(GrpcChannel channel, string jobId)
    {
        using var watch = new Operator.OperatorClient(channel).WatchJob(new GetJobRequest { JobId = jobId });
        JobStatus? last = null;
        while (await watch.ResponseStream.MoveNext(CancellationToken.None)) last = watch.ResponseStream.Current.Status;
        Assert.NotNull(last);
        return last;
    }

    private static async Task<List<string>> RunInProcessAsync(string store)
    {
        await using var coordinator = await TestCoordinator.StartAsync(null, await StoreArgsAsync(store));
        var nodes = new List<AutoNode>();
        foreach (var region in Regions) nodes.Add(await AutoNode.StartAsync(coordinator.Channel, region));
        await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = Spec(), JobId = "same" });
        Assert.Equal(JobState.Succeeded, (await WaitForEndAsync(coordinator.Channel, "same")).State);
        foreach (var node in nodes) await node.DisposeAsync();
        return await ContentsAsync(coordinator.Services.GetRequiredService<ICoordinatorStore>(), "same");
    }

    [Fact]
    public async Task The_same_job_on_sqlite_and_on_postgres_stores_identical_rounds_metrics_and_models()
    {
        var sqlite = await RunInProcessAsync("sqlite");
        var postgres = await RunInProcessAsync("postgres");
        Assert.Contains(sqlite, l => l.StartsWith("round 4 ", StringComparison.Ordinal));
        Assert.Contains(sqlite, l => l.StartsWith("model strategy-r4-", StringComparison.Ordinal)); // FedAdam's moments
        Assert.Equal(sqlite, postgres);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_coordinator_killed_with_sigkill_mid_upload_resumes_the_job_with_the_uninterrupted_results(string store)
    {
        var reference = await RunInProcessAsync("sqlite");
        var dir = TestModels.TempDirectory();
        var storeArgs = await StoreArgsAsync(store);

        await using (var first = await CoordinatorProcess.StartAsync(dir, [.. storeArgs, "--Coordinator:ChaosPauseAt=mid-upload:3"]))
        {
            var reached = ChaosMarker(dir);
            var nodes = new List<AutoNode>();
            foreach (var region in Regions) nodes.Add(await AutoNode.StartAsync(first.Channel, region));
            await new Operator.OperatorClient(first.Channel).StartJobAsync(new StartJobRequest { Spec = Spec(), JobId = "same" });
            await reached;
            await first.KillAsync();
            foreach (var node in nodes) await node.DisposeAsync();
        }

        await using var second = await CoordinatorProcess.StartAsync(dir, storeArgs);
        var again = new List<AutoNode>();
        foreach (var region in Regions) again.Add(await AutoNode.StartAsync(second.Channel, region));
        Assert.Equal(JobState.Succeeded, (await WaitForEndAsync(second.Channel, "same")).State);
        foreach (var node in again) await node.DisposeAsync();
        await second.KillAsync();

        // Read what the resumed coordinator left, with the store it used.
        var options = new Coordinator.Storage.StoreOptions();
        if (store == "postgres") (options.Store, options.Postgres.ConnectionString) = ("postgres", storeArgs[1].Split('=', 2)[1]);
        await using var opened = await Coordinator.Storage.CoordinatorStoreFactory.OpenAsync(options, dir, TimeProvider.System);
        var resumed = await ContentsAsync(opened, "same");
        // The audit log differs by design (the killed coordinator's accepted updates, the resumption); the rest is identical.
        Assert.Equal(reference.Where(l => !l.StartsWith("audit", StringComparison.Ordinal)), resumed.Where(l => !l.StartsWith("audit", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Completes once the paused coordinator has written <c>chaos-reached</c> into its data directory. It looks for the
    /// file every 50 ms rather than through a FileSystemWatcher: a test process that has hosted many in-process
    /// coordinators can run out of inotify instances (128 per user by default), and a watcher then never fires, so the
    /// test hung. The poll waits for no deadline; a busy machine only makes it notice the file later. It gives up
    /// after five minutes with a clear failure instead of hanging.
    /// </summary>
    internal static async Task ChaosMarker(string dir)
    {
        var marker = Path.Combine(dir, "chaos-reached");
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (!File.Exists(marker))
        {
            try
            {
                await poll.WaitForNextTickAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the coordinator never wrote {marker}");
            }
        }
    }
}
