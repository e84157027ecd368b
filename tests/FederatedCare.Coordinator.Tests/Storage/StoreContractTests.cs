using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Time.Testing;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>
/// The repository contract every <see cref="ICoordinatorStore"/> keeps, run against each implementation (the derived
/// classes at the end of this file): in memory, SQLite and PostgreSQL. Every test reopens the store before reading
/// where persistence matters.
/// </summary>
public abstract class StoreContractTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture));

    private protected abstract StoreBackend Backend { get; }

    private static Timestamp At(int minute) => Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 9, minute, 0, 456, TimeSpan.Zero));

    private static JobStatus Job(string id, int minute, JobState state = JobState.Pending) => new()
    {
        JobId = id, Spec = JobSpecValidationTests.ValidSpec(), State = state, Message = "queued", CreatedAt = At(minute), UpdatedAt = At(minute),
        SubmittedBy = "alice",
    };

    private static RegionMetrics Metric(string region, int round, string split = "test", double loss = 0.5) => new()
    {
        Region = region, Round = round, Split = split, NumExamples = 40, Loss = loss, Accuracy = 0.75, Extra = { ["auc"] = 0.8, ["brier"] = 0.1 },
    };

    private async Task<T> ReopenedAsync<T>(Func<ICoordinatorStore, Task<T>> read)
    {
        await using var store = await Backend.OpenAsync(_time);
        return await read(store);
    }

    private async Task WithStoreAsync(Func<ICoordinatorStore, Task> write)
    {
        await using var store = await Backend.OpenAsync(_time);
        await write(store);
    }

    [Fact]
    public async Task Jobs_are_created_once_listed_oldest_first_and_updated_until_terminal()
    {
        await WithStoreAsync(async store =>
        {
            Assert.True(await store.Jobs.TryCreateAsync(Job("b", minute: 2)));
            Assert.True(await store.Jobs.TryCreateAsync(Job("a", minute: 1)));
            Assert.True(await store.Jobs.TryCreateAsync(Job("c", minute: 2)));
            Assert.False(await store.Jobs.TryCreateAsync(Job("a", minute: 5, JobState.Running)));

            var running = await store.Jobs.UpdateAsync("a", JobState.Running, currentRound: 3);
            Assert.NotNull(running);
            Assert.Equal((JobState.Running, 3, "queued"), (running.State, running.CurrentRound, running.Message));
            Assert.Equal(Timestamp.FromDateTimeOffset(_time.GetUtcNow()), running.UpdatedAt);
            Assert.Equal(7, (await store.Jobs.UpdateAsync("a", currentRound: 7))!.CurrentRound);
            Assert.NotNull(await store.Jobs.UpdateAsync("a", JobState.Aborted, message: "stop"));
            foreach (var terminal in JobStates.Terminal)
                Assert.Null(await store.Jobs.UpdateAsync("a", terminal, message: "too late"));
            Assert.Null(await store.Jobs.UpdateAsync("unknown", JobState.Running));
        });

        var (jobs, a, missing) = await ReopenedAsync(async s => (await s.Jobs.ListAsync(), await s.Jobs.GetAsync("a"), await s.Jobs.GetAsync("x")));
        Assert.Equal(["a", "b", "c"], jobs.Select(j => j.JobId));
        Assert.NotNull(a);
        Assert.Equal((JobState.Aborted, 7, "stop"), (a.State, a.CurrentRound, a.Message));
        Assert.Equal(JobSpecValidationTests.ValidSpec(), a.Spec);
        // Who submitted the job survives a reopen: regions' policies read it with every statistics task.
        Assert.Equal("alice", a.SubmittedBy);
        Assert.Equal(At(1), a.CreatedAt);
        Assert.Null(missing);
        Assert.Equal(Job("b", 2), jobs[1]);
    }

    [Fact]
    public async Task Rounds_keep_their_privacy_spend_and_list_with_their_federated_metrics()
    {
        var spent = new RoundPrivacy { Epsilon = 3.25, Delta = 1e-5, RdpOrder = 7, SamplingRate = 0.75, NoiseStddev = 0.25 };
        await WithStoreAsync(async store =>
        {
            await store.Rounds.SaveAsync("dp", new RoundSummary { Round = 0, ModelSha256 = "aa", NumExamples = 10, Participants = { "Örebro", "Halland" } });
            await store.Rounds.SaveAsync("dp", new RoundSummary { Round = 1, ModelSha256 = "bb", NumExamples = 11, Privacy = spent });
            await store.Rounds.SaveAsync("dp", new RoundSummary
            {
                Round = 2, ModelSha256 = "cc", Privacy = new RoundPrivacy { Epsilon = double.PositiveInfinity, Delta = 1e-5, RdpOrder = 2, SamplingRate = 1 },
            });
            await store.Rounds.SaveAsync("dp", new RoundSummary { Round = 1, ModelSha256 = "b2", NumExamples = 12 }); // replaces, keeps its privacy
            await store.Rounds.CompleteAsync("dp", 1, At(30).ToDateTimeOffset(), 1.5);
            await store.Rounds.SaveAsync("other", new RoundSummary { Round = 9, ModelSha256 = "zz" });
            await store.Metrics.SaveAsync("dp", [Metric("Halland", 1), Metric("Halland", 0)]);
        });

        var (rounds, latest, one, none) = await ReopenedAsync(async s =>
            (await s.Rounds.ListAsync("dp"), await s.Rounds.GetAsync("dp", null), await s.Rounds.GetAsync("dp", 0), await s.Rounds.GetAsync("dp", 5)));
        Assert.Equal(2, (await ReopenedAsync(s => s.Rounds.GetAsync("dp", -1)))?.Round);
        Assert.Equal([0, 1, 2], rounds.Select(r => r.Round));
        Assert.Equal(["Örebro", "Halland"], rounds[0].Participants);
        Assert.Null(rounds[0].Privacy);
        Assert.Equal(("b2", 12L, spent), (rounds[1].ModelSha256, rounds[1].NumExamples, rounds[1].Privacy));
        Assert.Equal((At(30), 1.5), (rounds[1].CompletedAt, rounds[1].DurationSeconds));
        Assert.Null(rounds[0].CompletedAt);
        Assert.Equal(double.PositiveInfinity, rounds[2].Privacy.Epsilon);
        Assert.Equal([Metric("Halland", 1)], rounds[1].Metrics);
        Assert.Equal(2, latest?.Round);
        Assert.Empty(latest!.Metrics);
        Assert.Equal("aa", one?.ModelSha256);
        Assert.Null(none);
    }

    [Fact]
    public async Task Federated_metrics_and_cross_site_cells_share_one_table_without_mixing()
    {
        await WithStoreAsync(async store =>
        {
            await store.Metrics.SaveAsync("j", [Metric("Örebro", 1), Metric("halland", 1), Metric("Halland", 1, "val"), Metric("Halland", 1), Metric("Halland", 0)]);
            await store.Metrics.SaveAsync("j", [Metric("Halland", 1, loss: 0.25)]); // replaces
            await store.Metrics.SaveCrossSiteAsync("j", [
                new CrossSiteEntry { ModelLabel = "local:Örebro", Metrics = Metric("Halland", 1) },
                new CrossSiteEntry { ModelLabel = "global", Metrics = Metric("Halland", 1) },
            ]);
            // A cell is keyed by label, region and split: a later round's cell replaces it.
            await store.Metrics.SaveCrossSiteAsync("j", [new CrossSiteEntry { ModelLabel = "global", Metrics = Metric("Halland", 2, loss: 0.125) }]);
        });

        var (all, round1, matrix, otherJob) = await ReopenedAsync(async s =>
            (await s.Metrics.ListAsync("j", null), await s.Metrics.ListAsync("j", 1), await s.Metrics.ListCrossSiteAsync("j"), await s.Metrics.ListCrossSiteAsync("k")));
        // Ordered by round, then region and split compared bytewise (upper case before lower case before Ö).
        Assert.Equal([(0, "Halland", "test"), (1, "Halland", "test"), (1, "Halland", "val"), (1, "halland", "test"), (1, "Örebro", "test")],
            all.Select(m => (m.Round, m.Region, m.Split)));
        Assert.Equal(0.25, all[1].Loss);
        Assert.Equal(Metric("Örebro", 1), all[4]);
        Assert.Equal(4, round1.Count);
        Assert.Equal(all, await ReopenedAsync(s => s.Metrics.ListAsync("j", -1)));
        Assert.Equal(["global", "local:Örebro"], matrix.Select(e => e.ModelLabel));
        Assert.Equal(Metric("Halland", 2, loss: 0.125), matrix[0].Metrics);
        Assert.Equal(Metric("Halland", 1), matrix[1].Metrics);
        Assert.Empty(otherJob);
    }

    [Fact]
    public async Task Analysis_results_are_kept_per_step_replaced_on_save_and_listed_in_step_order()
    {
        static AnalysisResult Result(int step, string summary) => new()
        {
            Step = step, Kind = "cox", Summary = summary,
            Tables = { new AnalysisTable { Name = "cox_loglik", Columns = { "loglik_null", "loglik_model" }, Rows = { new AnalysisRow { Cells = { "-9856.8", "-9639.9" } } } } },
            Cox = new CoxResult { LoglikNull = -9856.8, LoglikModel = -9639.9, Terms = { new CoxTerm { Name = "age", Coef = 0.0017, Se = 0.0034 } } },
        };
        await WithStoreAsync(async store =>
        {
            Assert.Empty(await store.Analyses.ListAsync("a"));
            await store.Analyses.SaveAsync("a", Result(1, "second"));
            await store.Analyses.SaveAsync("a", Result(0, "first, replaced"));
            await store.Analyses.SaveAsync("a", Result(0, "first"));
            await store.Analyses.SaveAsync("b", Result(0, "other job"));
        });
        var listed = await ReopenedAsync(store => store.Analyses.ListAsync("a"));
        Assert.Equal([Result(0, "first"), Result(1, "second")], listed);
        Assert.Equal("other job", Assert.Single(await ReopenedAsync(store => store.Analyses.ListAsync("b"))).Summary);
    }

    [Fact]
    public async Task The_audit_log_keeps_its_order_and_filters_by_job()
    {
        var t = new DateTimeOffset(2026, 3, 1, 9, 0, 0, 789, TimeSpan.Zero);
        await WithStoreAsync(async store =>
        {
            await store.Audit.AppendAsync(new AuditEntry(t, "operator:alice", "job.started", "j", null, "fedavg"));
            await store.Audit.AppendAsync(new AuditEntry(t.AddSeconds(-5), "node:Halland", "access.denied", null, null, "Operator/StartJob"));
            await store.Audit.AppendAsync(new AuditEntry(t, "Halland", "update.rejected", "j", 3, "InvalidArgument: shape"));
        });
        var (all, ofJob) = await ReopenedAsync(async s => (await s.Audit.ListAsync(), await s.Audit.ListAsync("j")));
        Assert.Equal(["job.started", "access.denied", "update.rejected"], all.Select(a => a.Action));
        Assert.Equal(new AuditEntry(t.AddSeconds(-5), "node:Halland", "access.denied", null, null, "Operator/StartJob"), all[1]);
        Assert.Equal([null, 3], ofJob.Select(a => a.Round));
    }

    [Fact]
    public async Task The_audit_log_is_a_hash_chain_that_concurrent_appends_cannot_fork_and_that_pages_and_filters()
    {
        var t = new DateTimeOffset(2026, 3, 1, 9, 0, 0, 789, TimeSpan.Zero);
        await WithStoreAsync(async store =>
        {
            await store.Audit.AppendAsync(new AuditEntry(t, "operator:alice", "job.started", "j", null, "fedavg"));
            await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => store.Audit.AppendAsync(
                new AuditEntry(t.AddSeconds(i), i % 2 == 0 ? "node:Halland" : "Karolinska", "update.accepted", "j", i, $"update {i}")))));
            await store.Audit.AppendAsync(new AuditEntry(t, "coordinator", "job.succeeded", "k", null, ""));
        });
        var chain = await ReopenedAsync(async s =>
        {
            var all = new List<AuditRecord>();
            for (long after = 0; ;)
            {
                var page = await s.Audit.ListChainAsync(AuditFilter.All, after, 10);
                all.AddRange(page);
                if (page.Count < 10) return all;
                after = page[^1].Seq;
            }
        });
        Assert.Equal(26, chain.Count);
        var verified = AuditChain.Verify(chain);
        Assert.True(verified.Valid, verified.Error);
        Assert.Equal(Enumerable.Range(1, 26).Select(i => (long)i), chain.Select(r => r.Seq));
        Assert.Equal(AuditChain.GenesisHash, chain[0].PrevHash);
        Assert.False(chain[0].HasRound);
        Assert.Equal(t.ToUnixTimeMilliseconds(), chain[0].TimeUnixMs);

        var (halland, karolinska, succeeded, ofK) = await ReopenedAsync(async s => (
            await s.Audit.ListChainAsync(new AuditFilter(Region: "Halland"), 0, 100),
            await s.Audit.ListChainAsync(new AuditFilter(Region: "Karolinska"), 0, 100),
            await s.Audit.ListChainAsync(new AuditFilter(Action: "job.succeeded"), 0, 100),
            await s.Audit.ListChainAsync(new AuditFilter(JobId: "k"), 0, 100)));
        Assert.Equal(12, halland.Count);
        Assert.All(halland, r => Assert.Equal("node:Halland", r.Actor));
        Assert.Equal(12, karolinska.Count);
        Assert.Equal(26, Assert.Single(succeeded).Seq);
        Assert.Equal(26, Assert.Single(ofK).Seq);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReopenedAsync(s => s.Audit.ListChainAsync(AuditFilter.All, 0, AuditRecords.MaxPage + 1)));
    }

    [Fact]
    public async Task A_models_metadata_is_stored_with_it_and_read_back_without_changing_its_hash()
    {
        var model = TestModels.LogReg([0.5f, 0.25f], -1f).WithMetadata(new Dictionary<string, string> { ["fedcare.feature_names"] = "[\"age\",\"bmi\"]" });
        await WithStoreAsync(async store => await store.SaveRoundAsync("j", new RoundSummary { Round = 0, ModelSha256 = model.ComputeSha256() }, model));

        await WithStoreAsync(async store =>
        {
            var loaded = (await store.LoadGlobalModelAsync("j", null))!.Value.Model;
            Assert.Equal(model.ComputeSha256(), loaded.ComputeSha256());
            Assert.Equal("[\"age\",\"bmi\"]", loaded.Metadata["fedcare.feature_names"]);
            await using var stream = await store.Models.OpenReadAsync("j", model.ComputeSha256());
            Assert.Equal("[\"age\",\"bmi\"]", SafeTensors.Read(stream!).Metadata["fedcare.feature_names"]);
        });
    }

    [Fact]
    public async Task Models_are_found_by_hash_and_names_point_at_the_last_model_saved_under_them()
    {
        var first = TestModels.LogReg([9f, 9f], 9f);
        var local = TestModels.LogReg([0.5f, 0.25f], -1f);
        var big = TestModels.Random(300_000, seed: 3); // more than one 1-MiB buffer
        await WithStoreAsync(async store =>
        {
            Assert.Equal(first.ComputeSha256(), await store.Models.SaveAsync("j", "local-Örebro/Län", first));
            await store.Models.SaveAsync("j", "local-Örebro/Län", local); // the name now points at the new model
            await store.Models.SaveAsync("j", "control-1", big, knownSha256: big.ComputeSha256().ToUpperInvariant());
            await store.SaveRoundAsync("j", new RoundSummary { Round = 0, ModelSha256 = first.ComputeSha256() }, first);
            await Assert.ThrowsAsync<ArgumentException>(() => store.Models.SaveAsync("j", "", local));
        });

        await WithStoreAsync(async store =>
        {
            Assert.Equal([("local-Örebro/Län", local.ComputeSha256())], await store.Models.ListAsync("j", "local-"));
            Assert.Equal(["control-1", "local-Örebro/Län", "round-0"], (await store.Models.ListAsync("j", "")).Select(n => n.Name));
            AssertSame(big, await store.Models.ReadAsync("j", big.ComputeSha256().ToUpperInvariant()));
            AssertSame(first, await store.Models.ReadAsync("j", first.ComputeSha256()));
            Assert.Null(await store.Models.ReadAsync("other", local.ComputeSha256()));
            Assert.Null(await store.Models.ReadAsync("j", new string('0', 64)));
            var loaded = await store.LoadGlobalModelAsync("j", null);
            Assert.Equal(0, loaded?.Round);
            AssertSame(first, loaded?.Model);
            Assert.Null(await store.LoadGlobalModelAsync("j", 1));

            await using var stream = await store.Models.OpenReadAsync("j", local.ComputeSha256());
            Assert.NotNull(stream);
            AssertSame(local, SafeTensors.Read(stream));
            Assert.Null(await store.Models.OpenReadAsync("j", new string('0', 64)));
        });
    }

    [Fact]
    public async Task A_deleted_name_no_longer_finds_its_model_while_another_name_of_it_still_does()
    {
        var model = TestModels.LogReg([1f, 2f], 3f);
        await WithStoreAsync(async store =>
        {
            await store.SaveRoundAsync("j", new RoundSummary { Round = 1, ModelSha256 = model.ComputeSha256() }, model);
            await store.Models.SaveAsync("j", "local-Halland", model);
            await store.Models.DeleteAsync("j", ModelNames.Round(1));
            await store.Models.DeleteAsync("j", "no-such-name");
        });
        await WithStoreAsync(async store =>
        {
            Assert.Equal(["local-Halland"], (await store.Models.ListAsync("j", "")).Select(n => n.Name));
            Assert.NotNull(await store.Models.ReadAsync("j", model.ComputeSha256()));
            await store.Models.DeleteAsync("j", "local-Halland");
        });
        var (names, found) = await ReopenedAsync(async s => (await s.Models.ListAsync("j", ""), await s.Models.ReadAsync("j", model.ComputeSha256())));
        Assert.Empty(names);
        Assert.Null(found);
    }

    [Fact]
    public async Task A_cancelled_token_is_honoured_and_nothing_is_written()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await WithStoreAsync(async store =>
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Jobs.TryCreateAsync(Job("x", 1), cancelled.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Audit.AppendAsync(new AuditEntry(_time.GetUtcNow(), "a", "b", null, null, ""), cancelled.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Metrics.ListAsync("x", null, cancelled.Token));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.Models.SaveAsync("x", "n", TestModels.LogReg([1f], 1f), ct: cancelled.Token));
            Assert.Null(await store.Jobs.GetAsync("x"));
            Assert.Empty(await store.Audit.ListAsync());
            Assert.Empty(await store.Models.ListAsync("x", ""));
        });
    }

    [Fact]
    public async Task Deleting_a_finished_job_removes_its_rows_and_models_and_keeps_its_audit_entries_and_other_jobs()
    {
        var model = TestModels.LogReg([1f, 2f], 0.5f);
        var sha = model.ComputeSha256();
        await WithStoreAsync(async store =>
        {
            foreach (var id in new[] { "done", "other", "live" })
            {
                Assert.True(await store.Jobs.TryCreateAsync(Job(id, minute: 1)));
                await store.Rounds.SaveAsync(id, new RoundSummary { Round = 1, ModelSha256 = sha, NumExamples = 10,
                    Privacy = new RoundPrivacy { Epsilon = 1, Delta = 1e-5, RdpOrder = 7, SamplingRate = 1, NoiseStddev = 1 } });
                await store.Metrics.SaveAsync(id, [Metric("Halland", 1)]);
                await store.Metrics.SaveCrossSiteAsync(id, [new CrossSiteEntry { ModelLabel = "global", Metrics = Metric("Halland", 1) }]);
                await store.Analyses.SaveAsync(id, new AnalysisResult { Step = 0, Kind = "cox", Summary = "fit" });
                await store.Models.SaveAsync(id, ModelNames.Round(1), model);
                await store.Audit.AppendAsync(new AuditEntry(_time.GetUtcNow(), "operator:alice", "job.started", id, null, "fedavg"));
            }
            await store.Jobs.UpdateAsync("done", JobState.Succeeded);
            await store.Jobs.UpdateAsync("other", JobState.Aborted);
            await store.Jobs.UpdateAsync("live", JobState.Running);

            Assert.Equal(JobDeletion.NotFinished, await store.DeleteJobAsync("live"));
            Assert.Equal(JobDeletion.NotFound, await store.DeleteJobAsync("nowhere"));
            Assert.Equal(JobDeletion.Deleted, await store.DeleteJobAsync("done"));
            Assert.Equal(JobDeletion.NotFound, await store.DeleteJobAsync("done"));
        });

        await WithStoreAsync(async store =>
        {
            Assert.Null(await store.Jobs.GetAsync("done"));
            Assert.Empty(await store.Rounds.ListAsync("done"));
            Assert.Empty(await store.Metrics.ListAsync("done", null));
            Assert.Empty(await store.Metrics.ListCrossSiteAsync("done"));
            Assert.Empty(await store.Analyses.ListAsync("done"));
            Assert.Empty(await store.Models.ListAsync("done", ""));
            Assert.Null(await store.Models.ReadAsync("done", sha));
            // On disk (the database stores): the job's folder of model files is gone, the others' stay.
            if (Backend is not InMemoryBackend)
            {
                Assert.False(Directory.Exists(Path.Combine(Backend.DataDirectory, "models", "done")));
                Assert.True(Directory.Exists(Path.Combine(Backend.DataDirectory, "models", "other")));
            }
            // The audit log is a hash chain: the deleted job's entries stay.
            Assert.Single(await store.Audit.ListAsync("done"));
            foreach (var id in new[] { "other", "live" })
            {
                Assert.NotNull(await store.Jobs.GetAsync(id));
                Assert.NotNull(Assert.Single(await store.Rounds.ListAsync(id)).Privacy);
                Assert.NotEmpty(await store.Metrics.ListAsync(id, null));
                Assert.Single(await store.Metrics.ListCrossSiteAsync(id));
                Assert.Single(await store.Analyses.ListAsync(id));
                AssertSame(model, await store.Models.ReadAsync(id, sha));
            }
        });
    }

    [Fact]
    public async Task The_health_check_answers_healthy_for_a_working_store()
    {
        var health = await ReopenedAsync(s => s.CheckHealthAsync());
        Assert.True(health.Healthy, health.Description);
    }

    private static void AssertSame(ModelParameters expected, ModelParameters? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.ComputeSha256(), actual.ComputeSha256());
        Assert.Equal(expected.Tensors.Select(t => t.Name), actual.Tensors.Select(t => t.Name));
    }
}

/// <summary>The contract on <see cref="Federation.Core.Storage.InMemory.InMemoryCoordinatorStore"/>.</summary>
public sealed class InMemoryStoreContractTests : StoreContractTests
{
    private protected override StoreBackend Backend { get; } = new InMemoryBackend();
}

/// <summary>The contract on the SQLite store.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private protected override StoreBackend Backend { get; } = new SqliteBackend();
}

/// <summary>The contract on the PostgreSQL store (a server from <see cref="TestPostgres"/>, required).</summary>
public sealed class PostgresStoreContractTests : StoreContractTests
{
    private protected override StoreBackend Backend { get; } = new PostgresBackend();
}
