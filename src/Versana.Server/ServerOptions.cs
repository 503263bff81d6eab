namespace Versana.Server;

/// <summary>The server's settings: section <c>Versana</c> (e.g. <c>--Versana:DatabasePath=...</c> or <c>Versana__AdminKey</c>).</summary>
internal sealed class ServerOptions
{
    /// <summary>Gets or sets the ledger's store: <c>Sqlite</c> (the default) or <c>Postgres</c> (several replicas, one pool).</summary>
    public string Store { get; set; } = "Sqlite";

    /// <summary>Gets or sets the PostgreSQL connection string when <see cref="Store"/> is <c>Postgres</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Gets or sets the SQLite database file of the ledger (with the SQLite store) and of the API keys.</summary>
    public string DatabasePath { get; set; } = Path.Combine("App_Data", "versana-server.db");

    /// <summary>Gets or sets the admin key; when empty one is made at start and printed.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Gets or sets the demo workspace created on first start (empty: none). A fresh key for it is printed at every start.</summary>
    public string? DemoWorkspace { get; set; } = "demo";

    /// <summary>Gets or sets how long shutdown waits for in-flight requests.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
