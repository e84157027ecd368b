using FederatedCare.Coordinator.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;

namespace FederatedCare.Coordinator.Tests;

public class StoreTests
{
    [Fact]
    public async Task Everything_survives_reopening_the_database()
    {
        var dir = TestModels.TempDirectory();
        var now = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var model = TestModels.LogReg([0.25f, -1.5f], 3f);
        var sha = model.ComputeSha256();
        {
            var store = new SqliteCoordinatorStore(dir);
            Assert.True(await store.TryCreateJobAsync(new JobStatus
            {
                JobId = "job-1", Spec = JobSpecValidationTests.ValidSpec(), State = JobState.Pending, Message = "queued", CreatedAt = now, UpdatedAt = now,
            }));
            Assert.False(await store.TryCreateJobAsync(new JobStatus { JobId = "job-1", Spec = new JobSpec(), CreatedAt = now, UpdatedAt = now }));
            await store.SaveRoundAsync("job-1", new RoundSummary { Round = 0, ModelSha256 = sha, NumExamples = 229, Participants = { "Cleveland", "Switzerland" } }, model);
            await store.CompleteRoundAsync("job-1", 0, DateTimeOffset.UtcNow, 1.5);
            await store.SaveMetricsAsync("job-1", [new RegionMetrics { Region = "Cleveland", Round = 0, Split = "test", NumExamples = 99, Loss = 0.7, Accuracy = 0.6, Extra = { ["auc"] = 0.71 } }]);
            await store.UpdateJobAsync("job-1", JobState.Running, currentRound: 0, message: "round 0 done");
            await store.AppendAuditAsync(new AuditEntry(DateTimeOffset.UtcNow, "Cleveland", "update.rejected", "job-1", 1, "InvalidArgument: shape"));
            Assert.NotNull(await store.UpdateJobAsync("job-1", JobState.Aborted, message: "stop"));
            Assert.Null(await store.UpdateJobAsync("job-1", JobState.Succeeded)); // terminal states are final
        }

        var reopened = new SqliteCoordinatorStore(dir);
        var job = await reopened.GetJobAsync("job-1");
        Assert.NotNull(job);
        Assert.Equal(JobState.Aborted, job.State);
        Assert.Equal(JobSpecValidationTests.ValidSpec(), job.Spec);
        var round = Assert.Single(await reopened.ListRoundsAsync("job-1"));
        Assert.Equal(sha, round.ModelSha256);
        Assert.Equal(["Cleveland", "Switzerland"], round.Participants);
        Assert.NotNull(round.CompletedAt);
        var metric = Assert.Single(round.Metrics);
        Assert.Equal(0.71, metric.Extra["auc"]);
        var loaded = await reopened.LoadGlobalModelAsync("job-1", -1);
        Assert.NotNull(loaded);
        Assert.Equal(sha, loaded.Value.Model.ComputeSha256());
        Assert.NotNull(await reopened.FindModelAsync("job-1", sha));
        Assert.True(File.Exists(Path.Combine(dir, "models", "job-1", "round-0.safetensors")));
        Assert.Contains(await reopened.ListAuditAsync("job-1"), a => a.Action == "update.rejected");
        Assert.Single(await reopened.GetMetricsAsync("job-1", -1));
        Assert.Empty(await reopened.GetMetricsAsync("job-1", 5));
    }
}
