using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
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

    [Fact]
    public async Task Tensor_sets_and_the_cross_site_matrix_survive_reopening()
    {
        var dir = TestModels.TempDirectory();
        var local = TestModels.LogReg([0.5f, 0.25f], -1f);
        var control = TestModels.LogReg([0f, 0f], 0.1f);
        {
            var store = new SqliteCoordinatorStore(dir);
            await store.SaveTensorSetAsync("job-1", "local-Örebro/Län", TestModels.LogReg([9f, 9f], 9f));
            await store.SaveTensorSetAsync("job-1", "local-Örebro/Län", local); // replaces
            await store.SaveTensorSetAsync("job-1", "control-1", control);
            await Assert.ThrowsAsync<ArgumentException>(() => store.SaveTensorSetAsync("job-1", "round-1", control));
            await store.SaveCrossSiteAsync("job-1", [
                new CrossSiteEntry { ModelLabel = "local:Örebro/Län", Metrics = new RegionMetrics { Region = "Halland", Round = 1, Split = "test", NumExamples = 40, Loss = 0.6, Accuracy = 0.7, Extra = { ["auc"] = 0.8 } } },
                new CrossSiteEntry { ModelLabel = "global", Metrics = new RegionMetrics { Region = "Halland", Round = 1, Split = "test", NumExamples = 40, Loss = 0.5, Accuracy = 0.75 } },
            ]);
        }

        var reopened = new SqliteCoordinatorStore(dir);
        Assert.Equal([("local-Örebro/Län", local.ComputeSha256())], await reopened.ListTensorSetsAsync("job-1", "local-"));
        Assert.Equal(local.ComputeSha256(), (await reopened.FindModelAsync("job-1", local.ComputeSha256()))?.ComputeSha256());
        Assert.Equal(control.ComputeSha256(), (await reopened.FindModelAsync("job-1", control.ComputeSha256().ToUpperInvariant()))?.ComputeSha256());
        Assert.Null(await reopened.FindModelAsync("job-2", local.ComputeSha256()));
        // The region's '/' is escaped: the file stays inside the job's folder.
        Assert.True(File.Exists(Path.Combine(dir, "models", "job-1", "local-%C3%96rebro%2FL%C3%A4n.safetensors")));

        var matrix = await reopened.GetCrossSiteAsync("job-1");
        Assert.Equal(["global", "local:Örebro/Län"], matrix.Select(e => e.ModelLabel));
        Assert.Equal(0.8, matrix[1].Metrics.Extra["auc"]);
        Assert.Empty(matrix[0].Metrics.Extra);
        Assert.Equal(new RegionMetrics { Region = "Halland", Round = 1, Split = "test", NumExamples = 40, Loss = 0.5, Accuracy = 0.75 }, matrix[0].Metrics);
        Assert.Empty(await reopened.GetCrossSiteAsync("job-2"));
        Assert.Empty(await reopened.GetMetricsAsync("job-1", -1)); // cross-site cells are not round metrics
    }
}
