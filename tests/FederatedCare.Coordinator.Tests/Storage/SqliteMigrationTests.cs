using FederatedCare.Coordinator.Storage;
using FederatedCare.Coordinator.Storage.Sql;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Data.Sqlite;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>A database written by the coordinator before versioned migrations upgrades in place, keeping every row and model.</summary>
public class SqliteMigrationTests
{
    [Fact]
    public async Task A_database_of_the_schema_before_migrations_upgrades_with_its_rows_and_models()
    {
        var dir = TestModels.TempDirectory();
        var global = TestModels.LogReg([0.25f, -1.5f], 3f);
        var local = TestModels.LogReg([0.5f, 0.25f], -1f);
        // What the old store wrote: its schema (migration 001 is that schema), its rows and its files.
        using (var c = new SqliteConnection($"Data Source={Path.Combine(dir, "coordinator.db")};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = SqlMigrator.Scripts("sqlite")[0].Sql + $$"""
                INSERT INTO jobs VALUES ('j', x'', 3, 1, 'done', 1000, 2000);
                INSERT INTO rounds VALUES ('j', 0, '{{global.ComputeSha256()}}', '["Halland"]', 40, 1.5, 3000);
                INSERT INTO round_privacy VALUES ('j', 0, 1.5, 1e-5, 8, 0.5, 0.25);
                INSERT INTO metrics VALUES ('j', 0, 'Halland', 'test', 40, 0.5, 0.75, '{"auc":0.8}');
                INSERT INTO cross_site VALUES ('j', 'local:Halland', 'Halland', 'test', 0, 40, 0.25, 0.5, '{}');
                INSERT INTO tensor_sets VALUES ('j', 'local-Halland', '{{local.ComputeSha256()}}');
                INSERT INTO audit (time, actor, action, job_id, round, detail) VALUES (5, 'coordinator', 'job.succeeded', 'j', NULL, '');
                """;
            cmd.ExecuteNonQuery();
        }
        SafeTensors.WriteFile(global, Path.Combine(dir, "models", "j", "round-0.safetensors"));
        SafeTensors.WriteFile(local, Path.Combine(dir, "models", "j", "local-Halland.safetensors"));

        await using var store = await CoordinatorStoreFactory.OpenAsync(new StoreOptions(), dir, TimeProvider.System);

        Assert.Equal(SqlMigrator.Scripts("sqlite")[^1].Version, ((SqlCoordinatorStore)store).SchemaVersion);
        Assert.Equal((JobState.Succeeded, "done"), ((await store.Jobs.GetAsync("j"))!.State, (await store.Jobs.GetAsync("j"))!.Message));
        var round = Assert.Single(await store.Rounds.ListAsync("j"));
        Assert.Equal((global.ComputeSha256(), 1.5, 0.8), (round.ModelSha256, round.Privacy.Epsilon, Assert.Single(round.Metrics).Extra["auc"]));
        Assert.Equal(0.25, Assert.Single(await store.Metrics.ListCrossSiteAsync("j")).Metrics.Loss);
        Assert.Equal(global.ComputeSha256(), (await store.LoadGlobalModelAsync("j", null))?.Model.ComputeSha256());
        Assert.Equal([("local-Halland", local.ComputeSha256()), ("round-0", global.ComputeSha256())], await store.Models.ListAsync("j", ""));
        Assert.Equal(local.ComputeSha256(), (await store.Models.ReadAsync("j", local.ComputeSha256()))?.ComputeSha256());
        Assert.Single(await store.Audit.ListAsync("j"));
        // The old row joined the audit chain as its first entry.
        var chain = await store.Audit.ListChainAsync(AuditFilter.All, 0, 10);
        Assert.Equal(("job.succeeded", 1L), (Assert.Single(chain).Action, chain[0].Seq));
        Assert.True(AuditChain.Verify(chain).Valid);
        await store.Audit.AppendAsync(new AuditEntry(DateTimeOffset.UnixEpoch, "coordinator", "job.started", "k", null, ""));
        Assert.True(AuditChain.Verify(await store.Audit.ListChainAsync(AuditFilter.All, 0, 10)) is { Valid: true, Entries: 2 });
    }

    [Fact]
    public async Task Opening_twice_applies_each_migration_once()
    {
        var dir = TestModels.TempDirectory();
        await (await CoordinatorStoreFactory.OpenAsync(new StoreOptions(), dir, TimeProvider.System)).DisposeAsync();
        await using var store = await CoordinatorStoreFactory.OpenAsync(new StoreOptions(), dir, TimeProvider.System);
        using var c = new SqliteConnection($"Data Source={Path.Combine(dir, "coordinator.db")};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT group_concat(version) FROM schema_version ORDER BY version";
        Assert.Equal("1,2,3,4,5", cmd.ExecuteScalar());
    }
}
