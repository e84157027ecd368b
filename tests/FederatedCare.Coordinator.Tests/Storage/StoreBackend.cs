using FederatedCare.Coordinator.Storage;
using FederatedCare.Federation.Core.Storage;
using FederatedCare.Federation.Core.Storage.InMemory;

namespace FederatedCare.Coordinator.Tests.Storage;

/// <summary>One store implementation under test: each <see cref="OpenAsync"/> opens the same (initially empty) store again.</summary>
public abstract class StoreBackend
{
    /// <summary>The data directory (model files) of the SQL stores.</summary>
    public string DataDirectory { get; } = TestModels.TempDirectory();

    /// <summary>Opens the store; the caller disposes it before opening it again.</summary>
    public abstract Task<ICoordinatorStore> OpenAsync(TimeProvider time);
}

/// <summary>The in-memory store; "reopening" gives the same instance (nothing survives a process, there is no other).</summary>
public sealed class InMemoryBackend : StoreBackend
{
    private InMemoryCoordinatorStore? _store;

    public override Task<ICoordinatorStore> OpenAsync(TimeProvider time) => Task.FromResult<ICoordinatorStore>(_store ??= new InMemoryCoordinatorStore(time));
}

/// <summary>The SQLite store in a temporary data directory.</summary>
public sealed class SqliteBackend : StoreBackend
{
    public override Task<ICoordinatorStore> OpenAsync(TimeProvider time) =>
        CoordinatorStoreFactory.OpenAsync(new StoreOptions { Store = "sqlite" }, DataDirectory, time);
}

/// <summary>The PostgreSQL store on a new database of the test server.</summary>
public sealed class PostgresBackend : StoreBackend
{
    private string? _connectionString;

    public override async Task<ICoordinatorStore> OpenAsync(TimeProvider time)
    {
        _connectionString ??= await TestPostgres.CreateDatabaseAsync();
        return await CoordinatorStoreFactory.OpenAsync(
            new StoreOptions { Store = "postgres", Postgres = { ConnectionString = _connectionString } }, DataDirectory, time);
    }
}
