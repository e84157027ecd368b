using System.Data.Common;
using FederatedCare.Coordinator.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace FederatedCare.Coordinator.Storage.Sqlite;

/// <summary>
/// The SQLite engine: the file <c>coordinator.db</c> in WAL mode, one writer connection and one reader connection,
/// each on its own <see cref="SqliteWorker"/> thread. WAL lets the reader see the last committed state while the
/// writer writes, so a slow write never delays a read. The busy timeout remains for another process holding the file.
/// </summary>
internal sealed class SqliteDatabase : SqlDatabase
{
    private readonly SqliteWorker _writer;
    private readonly SqliteWorker _reader;

    private SqliteDatabase(SqliteWorker writer, SqliteWorker reader)
    {
        _writer = writer;
        _reader = reader;
    }

    /// <summary>Opens (creating if needed) the database file; the connections are open when this returns.</summary>
    /// <exception cref="SqliteException">The file cannot be opened as a SQLite database.</exception>
    public static SqliteDatabase Open(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        var writer = Connect(connectionString, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        SqliteConnection reader;
        try
        {
            reader = Connect(connectionString, "PRAGMA query_only = ON;");
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        return new SqliteDatabase(new SqliteWorker(writer, "sqlite-writer"), new SqliteWorker(reader, "sqlite-reader"));
    }

    public override string Backend => "sqlite";

    public override string JobOrder => "created_at, rowid";

    // One writer connection in one process (the data directory's lock keeps other coordinators out).
    public override string? MigrationLock => null;

    // The single writer connection appends one entry at a time.
    public override string? AuditLock => null;

    public override Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct) =>
        // Microsoft.Data.Sqlite completes its tasks synchronously, so this waits on nothing but the work itself.
        _reader.RunAsync(c => read(c, ct).GetAwaiter().GetResult(), ct);

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken ct) =>
        _writer.RunAsync(c =>
        {
            using var transaction = c.BeginTransaction();
            var result = write(c, transaction, ct).GetAwaiter().GetResult();
            transaction.Commit();
            return result;
        }, ct);

    public override ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    private static SqliteConnection Connect(string connectionString, string pragmas)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = pragmas;
            cmd.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
