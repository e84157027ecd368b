using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>
/// Versioned migrations: the embedded scripts <c>migrations/&lt;backend&gt;/NNN_name.sql</c> run in number order, each
/// in its own transaction together with its row in <c>schema_version</c>, so a crash leaves the database at a whole
/// version. A database created before migrations existed (tables, no <c>schema_version</c>) is at version 0 and is
/// upgraded: script 001 of SQLite is that schema with <c>IF NOT EXISTS</c>.
/// </summary>
internal static class SqlMigrator
{
    private const string VersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """;

    /// <summary>The scripts of a backend, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(string backend)
    {
        var assembly = typeof(SqlMigrator).Assembly;
        var prefix = $"migrations/{backend}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n.AsSpan(prefix.Length, 3), CultureInfo.InvariantCulture), Name: n[prefix.Length..^4], Sql: Read(assembly, n)))
            .OrderBy(s => s.Version).ToList();
    }

    /// <summary>Applies the scripts not yet applied; returns the resulting version.</summary>
    /// <exception cref="InvalidOperationException">The database is newer than this coordinator knows.</exception>
    public static async Task<int> ApplyAsync(SqlDatabase db, TimeProvider time, CancellationToken ct)
    {
        var scripts = Scripts(db.Backend);
        int current = 0;
        foreach (var (version, name, sql) in scripts)
            current = await db.WriteAsync(async (c, tx, t) =>
            {
                if (db.MigrationLock is { } lockSql) await Execute(c, tx, lockSql, t).ConfigureAwait(false);
                await Execute(c, tx, VersionTable, t).ConfigureAwait(false);
                await using var read = c.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version", tx);
                int applied = Convert.ToInt32(await read.ExecuteScalarAsync(t).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (applied > scripts[^1].Version)
                    throw new InvalidOperationException(
                        $"The {db.Backend} database is at schema version {applied}; this coordinator knows versions up to {scripts[^1].Version}.");
                if (applied >= version) return applied;
                await Execute(c, tx, sql, t).ConfigureAwait(false);
                await using var insert = c.Command("INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)", tx)
                    .With("v", version).With("n", name).With("t", time.GetUtcNow().ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(t).ConfigureAwait(false);
                return version;
            }, ct).ConfigureAwait(false);
        return current;
    }

    private static async Task Execute(DbConnection c, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = c.Command(sql, tx);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }
}
