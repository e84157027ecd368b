using System.Data.Common;

namespace FederatedCare.Coordinator.Storage.Sql;

/// <summary>
/// A database engine under the shared SQL repositories (<see cref="SqlCoordinatorStore"/>): it runs a read on a
/// connection, or a write inside a transaction, and says how it differs in the few places the SQL cannot be shared.
/// The SQL itself is portable between SQLite and PostgreSQL: <c>@name</c> parameters, <c>ON CONFLICT</c> upserts,
/// <c>RETURNING</c>, <c>CAST(@p AS type)</c> where a parameter may be null.
/// </summary>
internal abstract class SqlDatabase : IAsyncDisposable
{
    /// <summary>The migration scripts' folder among the embedded resources (<c>migrations/&lt;backend&gt;/NNN_name.sql</c>).</summary>
    public abstract string Backend { get; }

    /// <summary>The ORDER BY that lists jobs oldest first, ties in insertion order.</summary>
    public abstract string JobOrder { get; }

    /// <summary>A statement run first in the migration transaction so concurrent coordinators migrate one at a time; null when none is needed.</summary>
    public abstract string? MigrationLock { get; }

    /// <summary>A statement run first in an audit append's transaction so concurrent appends chain one after the other; null when none is needed.</summary>
    public abstract string? AuditLock { get; }

    /// <summary>Runs a read on an open connection.</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct);

    /// <summary>Runs a write in a transaction that commits when <paramref name="write"/> completes (and rolls back when it throws).</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken ct);

    /// <summary>Closes the connections.</summary>
    public abstract ValueTask DisposeAsync();
}
