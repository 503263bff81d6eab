using System.Text.Json.Serialization;
using Versana.Sdk.Ledger.Storage;

namespace Versana.Sdk.PostgreSql;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LedgerEntry))]
[JsonSerializable(typeof(AccountSnapshot))]
[JsonSerializable(typeof(ReservationSnapshot))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
