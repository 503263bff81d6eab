using Npgsql;
using Versana.Sdk.AspNetCore;

namespace Versana.Server;

/// <summary>API keys in PostgreSQL beside the ledger, so every server replica accepts every key.</summary>
internal sealed class PostgresApiKeyStore : IApiKeyStore, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresApiKeyStore(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        using var command = _dataSource.CreateCommand("""
            CREATE SCHEMA IF NOT EXISTS versana;
            CREATE TABLE IF NOT EXISTS versana.api_keys (
                key_id text PRIMARY KEY,
                workspace_id text NOT NULL,
                secret_hash bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            """);
        try
        {
            command.ExecuteNonQuery();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created the table at the same moment.
        }
    }

    public async ValueTask<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT workspace_id, secret_hash FROM versana.api_keys WHERE key_id = $1");
        command.Parameters.Add(new() { Value = keyId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new StoredApiKey(keyId, reader.GetString(0), (byte[])reader.GetValue(1)) : null;
    }

    public async ValueTask AddAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("INSERT INTO versana.api_keys (key_id, workspace_id, secret_hash) VALUES ($1, $2, $3)");
        command.Parameters.Add(new() { Value = key.KeyId });
        command.Parameters.Add(new() { Value = key.WorkspaceId });
        command.Parameters.Add(new() { Value = key.SecretHash });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Dispose() => _dataSource.Dispose();
}
