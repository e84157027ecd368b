using System.Data.Common;
using FederatedCare.Coordinator.Storage.Postgres;
using FederatedCare.Coordinator.Storage.Sql;
using FederatedCare.Coordinator.Storage.Sqlite;
using FederatedCare.Federation.Core.Storage;

namespace FederatedCare.Coordinator.Storage;

/// <summary>Opens the store that <see cref="StoreOptions"/> chooses, migrated to the newest schema.</summary>
public static class CoordinatorStoreFactory
{
    /// <summary>
    /// Opens the database (<c>&lt;data&gt;/coordinator.db</c> for SQLite, the server for PostgreSQL) and the model folder
    /// <c>&lt;data&gt;/models</c>, and applies the migrations the database lacks.
    /// </summary>
    /// <exception cref="StoreConfigurationException">
    /// An unknown <c>Coordinator:Store</c>, a missing or malformed PostgreSQL connection string, or a database that
    /// cannot be opened or migrated; the message is one line naming the configuration key.
    /// </exception>
    public static async Task<ICoordinatorStore> OpenAsync(StoreOptions options, string dataDirectory, TimeProvider time, CancellationToken ct = default)
    {
        Validate(options);
        var root = Path.GetFullPath(dataDirectory);
        var models = Path.Combine(root, "models");
        switch (options.Store.Trim().ToLowerInvariant())
        {
            case "sqlite":
                Directory.CreateDirectory(root);
                return await Open(() => SqliteDatabase.Open(Path.Combine(root, "coordinator.db")), models, time, StoreOptions.StoreKey, ct)
                    .ConfigureAwait(false);
            default:
                return await Open(() => PostgresDatabase.Create(options.Postgres.ConnectionString), models, time,
                    StoreOptions.PostgresConnectionStringKey, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks the store settings without opening or creating anything, so the host can refuse them before it takes
    /// the data directory's lock.
    /// </summary>
    /// <exception cref="StoreConfigurationException">An unknown <c>Coordinator:Store</c>, or PostgreSQL without a connection string.</exception>
    public static void Validate(StoreOptions options)
    {
        switch (options.Store.Trim().ToLowerInvariant())
        {
            case "sqlite":
                return;
            case "postgres" when string.IsNullOrWhiteSpace(options.Postgres.ConnectionString):
                throw new StoreConfigurationException($"{StoreOptions.PostgresConnectionStringKey} is required when {StoreOptions.StoreKey} is 'postgres'.");
            case "postgres":
                return;
            default:
                throw new StoreConfigurationException($"{StoreOptions.StoreKey} must be 'sqlite' or 'postgres', not '{options.Store}'.");
        }
    }

    private static async Task<ICoordinatorStore> Open(Func<SqlDatabase> create, string models, TimeProvider time, string key, CancellationToken ct)
    {
        try
        {
            return await SqlCoordinatorStore.OpenAsync(create(), models, time, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or ArgumentException or IOException or UnauthorizedAccessException
                                      or System.Net.Sockets.SocketException or TimeoutException
                                      or InvalidOperationException and not StoreConfigurationException)
        {
            throw new StoreConfigurationException($"Cannot open the store ({key}): {OneLine(e)}", e);
        }
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ").Trim();
}
