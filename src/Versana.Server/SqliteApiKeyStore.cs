using Microsoft.Data.Sqlite;
using Versana.Sdk.AspNetCore;

namespace Versana.Server;

/// <summary>API keys in the server's SQLite file, next to the ledger's tables: key id, workspace, SHA-256 of the secret.</summary>
internal sealed class SqliteApiKeyStore
    : IApiKeyStore
{
    private readonly string _connectionString;

    public SqliteApiKeyStore(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS versana_api_keys (
                key_id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL,
                secret_hash BLOB NOT NULL,
                created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ) STRICT;
            """;
        command.ExecuteNonQuery();
    }

    public async ValueTask<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT workspace_id, secret_hash FROM versana_api_keys WHERE key_id = $id";
        command.Parameters.AddWithValue("$id", keyId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredApiKey(keyId, reader.GetString(0), (byte[])reader.GetValue(1))
            : null;
    }

    public async ValueTask AddAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO versana_api_keys (key_id, workspace_id, secret_hash) VALUES ($id, $workspace, $hash)";
        command.Parameters.AddWithValue("$id", key.KeyId);
        command.Parameters.AddWithValue("$workspace", key.WorkspaceId);
        command.Parameters.AddWithValue("$hash", key.SecretHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }
}
