using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Grpc.Core;

namespace FederatedCare.IntegrationTests;

/// <summary>
/// Replay of a broken node from other platforms' bug reports: a region's machine whose clock runs two minutes ahead.
/// Örebro's agent is its own process with its operating-system clock shifted by libfaketime (Debian's
/// <c>faketime</c>), so everything in it — .NET's clock, the SDK, TorchSharp — reads the wrong time. Task deadlines
/// are judged on the coordinator's clock through the offset measured at registration, so the region still takes part
/// in every round, and <c>fedcare nodes</c> shows the skew.
/// </summary>
public sealed class ClockSkewReplayTests
{
    private static readonly string[] LibFakeTimeCandidates =
    [
        "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
        "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
        "/usr/lib/faketime/libfaketimeMT.so.1",
    ];

    [Fact]
    public async Task An_agent_whose_clock_is_two_minutes_ahead_takes_part_in_every_round()
    {
        var libFakeTime = LibFakeTimeCandidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "This replay needs libfaketime to shift an agent's clock: apt-get install -y faketime (.ci/run installs it).");
        await using var federation = await Federation.StartAsync(Federation.DemoAgents().Take(3).ToList());
        using var orebro = AppProcess.Start(
            AppProcess.Dll("node-agent/FederatedCare.NodeAgent", "FederatedCare.NodeAgent"),
            new Dictionary<string, string>
            {
                ["LD_PRELOAD"] = libFakeTime,
                ["FAKETIME"] = "+120s",
                // The shift applies to wall-clock time only: timers and stopwatches (CLOCK_MONOTONIC) stay true, as
                // on a machine whose date is merely set wrong.
                ["DONT_FAKE_MONOTONIC"] = "1",
                ["OMP_WAIT_POLICY"] = "PASSIVE",
                ["MKL_CBWR"] = "AUTO",
            },
            "--config", Federation.DemoConfig("Örebro"),
            $"--NodeAgent:CoordinatorAddress={federation.Coordinator.Address}",
            "--Serilog:MinimumLevel:Default=Warning");
        var node = await federation.WaitForRegistrationAsync("Örebro", orebro);
        Assert.InRange(node.ClockSkewMs, 110_000, 130_000);

        var spec = JobSpecFile.Load(RepositoryPaths.Example("fedavg.json"));
        spec.Rounds = 3;
        // No retries: a region that skipped its task as "past its deadline" would fail the round outright.
        spec.MaxRoundRetries = 0;
        spec.MinFitClients = 4;
        spec.MinAvailableClients = 4;
        var status = await federation.RunJobAsync(spec, TimeSpan.FromMinutes(5));

        Assert.True(status.State == JobState.Succeeded, $"{status.State}: {status.Message}\nÖrebro's agent:\n{orebro.Stderr}");
        var rounds = await federation.Research.ListRoundsAsync(new ListRoundsRequest { JobId = status.JobId });
        Assert.All(rounds.Rounds.Where(r => r.Round > 0), r => Assert.Contains("Örebro", r.Participants));
        var metrics = await federation.Research.GetMetricsAsync(new GetMetricsRequest { JobId = status.JobId, Round = -1 });
        Assert.Equal([0, 1, 2, 3], metrics.Metrics.Where(m => m.Region == "Örebro" && m.Split == WireNames.Splits.Test)
            .Select(m => m.Round).Order());
    }
}
