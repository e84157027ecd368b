using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace FederatedCare.Coordinator.Storage.Sqlite;

/// <summary>
/// One SQLite connection served by one dedicated thread, with a queue in front. SQLite is an embedded library whose
/// calls block (Microsoft.Data.Sqlite's *Async methods run synchronously), so the work runs here and callers await a
/// task: no gRPC or thread-pool thread waits on the database. As the writer queue it is also SQLite's single writer,
/// so writes never meet SQLITE_BUSY inside the process (which Microsoft.Data.Sqlite would retry after 150-ms sleeps).
/// </summary>
internal sealed class SqliteWorker : IDisposable
{
    private readonly BlockingCollection<Action<SqliteConnection>> _queue = new();
    private readonly SqliteConnection _connection;
    private readonly Thread _thread;

    /// <summary>Takes an open connection and starts its thread.</summary>
    public SqliteWorker(SqliteConnection connection, string name)
    {
        _connection = connection;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Queues <paramref name="work"/>; its task completes (never on this worker's thread) with its result. Work whose
    /// token is cancelled before it starts does not run; once started it runs to the end.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The worker was disposed.</exception>
    public Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (ct.IsCancellationRequested) return Task.FromCanceled<T>(ct);
        _queue.Add(c =>
        {
            if (ct.IsCancellationRequested)
            {
                done.TrySetCanceled(ct);
                return;
            }
            try
            {
                done.TrySetResult(work(c));
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, CancellationToken.None);
        return done.Task;
    }

    private void Run()
    {
        foreach (var work in _queue.GetConsumingEnumerable()) work(_connection);
    }

    /// <summary>Finishes the queued work, then closes the connection.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _connection.Dispose();
        _queue.Dispose();
    }
}
