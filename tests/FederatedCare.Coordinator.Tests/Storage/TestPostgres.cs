using Npgsql;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>
/// The PostgreSQL server the tests use: the connection string in <c>FEDCARE_TEST_POSTGRES</c> (scripts/test.sh and
/// .ci/run start a throw-away server with scripts/lib/postgres.sh and set it). Without it the PostgreSQL tests fail,
/// saying how to start one; they are never skipped.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "FEDCARE_TEST_POSTGRES";

    /// <summary>The server's connection string.</summary>
    /// <exception cref="InvalidOperationException">No server is configured.</exception>
    public static string ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s
        : throw new InvalidOperationException(
            $"The PostgreSQL tests need a server: run them with `bash scripts/test.sh` (it starts a throw-away server with scripts/lib/postgres.sh " +
            $"when PostgreSQL is installed: apt-get install -y postgresql), or set {Variable} to an Npgsql connection string.");

    /// <summary>
    /// A connection string to a new empty database of its own (so tests never see each other's rows and a
    /// coordinator process can be pointed at it).
    /// </summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "fedcare_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name, Pooling = false }.ToString();
    }
}
