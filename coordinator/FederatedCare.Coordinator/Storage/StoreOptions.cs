namespace FederatedCare.Coordinator.Storage;

/// <summary>
/// Which database holds the coordinator's state, bound from the section <c>Coordinator</c> (keys <c>Coordinator:Store</c>
/// and <c>Coordinator:Postgres:ConnectionString</c>). Model files stay in <see cref="CoordinatorOptions.DataDirectory"/>
/// (<c>models/</c>) with either database.
/// </summary>
public sealed class StoreOptions
{
    /// <summary>The configuration key of <see cref="Store"/>.</summary>
    public const string StoreKey = CoordinatorOptions.SectionName + ":Store";

    /// <summary>The configuration key of the PostgreSQL connection string.</summary>
    public const string PostgresConnectionStringKey = CoordinatorOptions.SectionName + ":Postgres:ConnectionString";

    /// <summary>
    /// <c>sqlite</c> (the default: <c>coordinator.db</c> in the data directory, nothing to install) or <c>postgres</c>
    /// (a PostgreSQL server named by <see cref="PostgresStoreOptions.ConnectionString"/>; the production choice).
    /// </summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>The PostgreSQL settings (section <c>Coordinator:Postgres</c>), read when <see cref="Store"/> is <c>postgres</c>.</summary>
    public PostgresStoreOptions Postgres { get; set; } = new();
}

/// <summary>PostgreSQL settings of the store.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db.example;Port=5432;Database=fedcare;Username=fedcare;Password=...</c>
    /// (better given as the environment variable <c>Coordinator__Postgres__ConnectionString</c> than on the command line).
    /// </summary>
    public string ConnectionString { get; set; } = "";
}
