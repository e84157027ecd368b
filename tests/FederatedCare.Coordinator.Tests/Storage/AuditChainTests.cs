using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Protos.V1;
using FederatedCare.Protos.Wire;
using Microsoft.Data.Sqlite;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>
/// The coordinator's audit chain: changing, removing or reordering one entry — in the records or in the SQLite table
/// itself — makes verification fail naming that entry.
/// </summary>
public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 1, 9, 0, 0, 789, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int n)
    {
        var records = new List<AuditRecord>();
        for (int i = 1; i <= n; i++)
            records.Add(AuditRecords.Chain(new AuditEntry(T.AddSeconds(i), "Halland", "update.accepted", "j", i, $"update {i}"), i,
                i == 1 ? AuditChain.GenesisHash : records[^1].Hash));
        return records;
    }

    [Fact]
    public void Changing_removing_or_reordering_a_record_fails_naming_it()
    {
        var chain = Chain(4);
        Assert.True(AuditChain.Verify(chain).Valid);

        var changed = chain.Select(r => r.Clone()).ToList();
        changed[2].Detail = "update 30";
        Assert.StartsWith("entry 3: hash does not match", AuditChain.Verify(changed).Error, StringComparison.Ordinal);
        Assert.StartsWith("entry 3: seq is 4", AuditChain.Verify([chain[0], chain[1], chain[3]]).Error, StringComparison.Ordinal);
        Assert.StartsWith("entry 2: seq is 3", AuditChain.Verify([chain[0], chain[2], chain[1], chain[3]]).Error, StringComparison.Ordinal);
        // Renumbering after a removal does not help: the next entry's prev_hash still names the removed one.
        var renumbered = new[] { chain[0], chain[2].Clone(), chain[3].Clone() };
        renumbered[1].Seq = 2;
        Assert.StartsWith("entry 2: prev_hash", AuditChain.Verify(renumbered).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE audit SET detail = 'nothing happened' WHERE seq = 3", "entry 3: hash does not match")]
    [InlineData("UPDATE audit SET round = NULL WHERE seq = 2", "entry 2: hash does not match")]
    [InlineData("DELETE FROM audit WHERE seq = 2", "entry 2: seq is 3")]
    [InlineData("UPDATE audit SET seq = -seq WHERE seq IN (2, 3); UPDATE audit SET seq = 5 + seq WHERE seq IN (-2, -3)", "entry 2: prev_hash")]
    public async Task An_entry_changed_removed_or_moved_in_the_SQLite_table_fails_naming_it(string tamper, string error)
    {
        var dir = TestModels.TempDirectory();
        await using (var store = await CoordinatorStoreFactory.OpenAsync(new StoreOptions(), dir, TimeProvider.System))
            for (int i = 1; i <= 4; i++)
                await store.Audit.AppendAsync(new AuditEntry(T.AddSeconds(i), "Halland", "update.accepted", "j", i, $"update {i}"));
        using (var c = new SqliteConnection($"Data Source={Path.Combine(dir, "coordinator.db")};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = tamper;
            cmd.ExecuteNonQuery();
        }

        await using var reopened = await CoordinatorStoreFactory.OpenAsync(new StoreOptions(), dir, TimeProvider.System);
        var result = AuditChain.Verify(await reopened.Audit.ListChainAsync(AuditFilter.All, 0, 100));

        Assert.False(result.Valid);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }
}
