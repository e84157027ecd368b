using FederatedCare.Coordinator.Tests.Storage;
using FederatedCare.Federation.Core.Jobs;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FederatedCare.Coordinator.Tests;

/// <summary>
/// A graceful stop (SIGTERM) of the coordinator during a round behaves like a kill for the job: the round in flight is
/// left unrecorded and redone after the restart, so the job ends with the rows of an uninterrupted run — rounds, model
/// hashes, participants, every metric row (evaluation included) and the model files — compared row by row. Nodes answer
/// at once; nothing waits for a deadline.
/// </summary>
public class GracefulStopTests
{
    private static readonly string[] Regions = ["Halland", "Karolinska"];

    private static JobSpec Spec()
    {
        var spec = JobSpecValidationTests.ValidSpec();
        spec.Rounds = 4;
        spec.Strategy = new StrategySpec { Name = "fedadam" };
        spec.RoundDeadlineSeconds = 600;
        return spec;
    }

    // Everything but the audit log, which differs by design (the stopped coordinator's accepted updates, the resumption).
    private static List<string> Rows(IEnumerable<string> contents) => contents.Where(l => !l.StartsWith("audit", StringComparison.Ordinal)).ToList();

    private static async Task<List<string>> UninterruptedAsync()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var nodes = new List<AutoNode>();
        foreach (var region in Regions) nodes.Add(await AutoNode.StartAsync(coordinator.Channel, region));
        await new Operator.OperatorClient(coordinator.Channel).StartJobAsync(new StartJobRequest { Spec = Spec(), JobId = "sigterm" });
        Assert.Equal(JobState.Succeeded, (await StoreBackendJobTests.WaitForEndAsync(coordinator.Channel, "sigterm")).State);
        foreach (var node in nodes) await node.DisposeAsync();
        return Rows(await StoreBackendJobTests.ContentsAsync(coordinator.Services.GetRequiredService<ICoordinatorStore>(), "sigterm"));
    }

    // A second coordinator on the same data directory with new nodes finishes the job; returns what it stored.
    private static async Task<List<string>> ResumeInProcessAsync(string dir)
    {
        await using var coordinator = await TestCoordinator.StartAsync(dir);
        var nodes = new List<AutoNode>();
        foreach (var region in Regions) nodes.Add(await AutoNode.StartAsync(coordinator.Channel, region));
        var status = await StoreBackendJobTests.WaitForEndAsync(coordinator.Channel, "sigterm");
        Assert.Equal(JobState.Succeeded, status.State);
        Assert.DoesNotContain("not evaluated", status.Message);
        foreach (var node in nodes) await node.DisposeAsync();
        return Rows(await StoreBackendJobTests.ContentsAsync(coordinator.Services.GetRequiredService<ICoordinatorStore>(), "sigterm"));
    }

    [Fact]
    public async Task Stopping_while_a_fit_round_waits_for_an_update_stops_the_job_before_the_streams_so_the_round_is_redone_after_the_restart()
    {
        var reference = await UninterruptedAsync();
        var dir = TestModels.TempDirectory();
        await using (var first = await TestCoordinator.StartAsync(dir))
        {
            var halland = await AutoNode.StartAsync(first.Channel, "Halland");
            var karolinska = await AutoNode.StartAsync(first.Channel, "Karolinska",
                t => t.KindCase == NodeTask.KindOneofCase.Fit && t.Round == 2 ? TaskAction.Hold : TaskAction.Answer);
            await new Operator.OperatorClient(first.Channel).StartJobAsync(new StartJobRequest { Spec = Spec(), JobId = "sigterm" });
            await karolinska.HeldSignal.WaitAsync();
            await halland.FitSignal.WaitAsync(); // round 1's update
            await halland.FitSignal.WaitAsync(); // round 2's: the round now waits for Karolinska only

            // The stop begins (ApplicationStopping; the in-process host is not torn down until disposed): the job stops at
            // once, closing its round, and the task streams end after it. Before, the streams ended first while the job
            // went on: Karolinska's update completed round 2, which then found no region to evaluate it and was recorded
            // "not evaluated" for good.
            first.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            var board = first.Services.GetRequiredService<RoundBoard>();
            for (int i = 0; i < 3000 && board.Find("sigterm") is not null; i++) await Task.Delay(10); // polled: at once unless broken
            Assert.Null(board.Find("sigterm"));
            var late = await Assert.ThrowsAsync<RpcException>(() => karolinska.UploadFitAsync(karolinska.Held.Single()));
            Assert.Equal(StatusCode.FailedPrecondition, late.StatusCode);
            var stored = await first.Services.GetRequiredService<ICoordinatorStore>().Rounds.ListAsync("sigterm");
            Assert.DoesNotContain(stored, r => r.Round == 2);
            await halland.DisposeAsync();
            await karolinska.DisposeAsync();
        }
        Assert.Equal(reference, await ResumeInProcessAsync(dir));
    }

    [Theory]
    [InlineData("mid-evaluation:2")]
    [InlineData("mid-upload:3")]
    public async Task A_coordinator_stopped_with_sigterm_mid_round_resumes_the_job_with_the_rows_of_an_uninterrupted_run(string pauseAt)
    {
        var reference = await UninterruptedAsync();
        var dir = TestModels.TempDirectory();
        await using (var first = await CoordinatorProcess.StartAsync(dir, $"--Coordinator:ChaosPauseAt={pauseAt}"))
        {
            var nodes = new List<AutoNode>();
            foreach (var region in Regions) nodes.Add(await AutoNode.StartAsync(first.Channel, region));
            await new Operator.OperatorClient(first.Channel).StartJobAsync(new StartJobRequest { Spec = Spec(), JobId = "sigterm" });
            await StoreBackendJobTests.ChaosMarker(dir);
            Assert.Equal(0, await first.TerminateAsync()); // a graceful stop: the host ends cleanly
            foreach (var node in nodes) await node.DisposeAsync();
        }
        // The job stays running in the store and resumes in the next coordinator.
        Assert.Equal(reference, await ResumeInProcessAsync(dir));
    }
}
