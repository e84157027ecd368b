using System.Data.Common;
using FederatedCare.Coordinator.Storage.Sql;
using Npgsql;

namespace FederatedCare.Coordinator.Storage.Postgres;

/// <summary>
/// The PostgreSQL engine: an <see cref="NpgsqlDataSource"/> (a connection pool) with truly asynchronous I/O; each read
/// takes a pooled connection, each write a connection and a transaction. PostgreSQL serialises concurrent writers
/// itself (row locks), so no in-process queue is needed.
/// </summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource) : SqlDatabase
{
    /// <summary>A data source on the connection string.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static PostgresDatabase Create(string connectionString) => new(NpgsqlDataSource.Create(connectionString));

    public override string Backend => "postgres";

    public override string JobOrder => "created_at, seq";

    // Two coordinators starting on one database migrate one after the other (the lock ends with the transaction).
    public override string? MigrationLock => "SELECT pg_advisory_xact_lock(7428190311)";

    // Appends to the audit chain from several connections (or coordinators) queue here: each reads the last hash only
    // after the previous append committed.
    public override string? AuditLock => "SELECT pg_advisory_xact_lock(7428190312)";

    public override async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await read(connection, ct).ConfigureAwait(false);
    }

    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var result = await write(connection, transaction, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
