using System.Text.Json.Serialization;
using Versana.Sdk.Rules;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>How the durable stores write entries, account state and reservations as JSON.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LedgerEntry))]
[JsonSerializable(typeof(AccountState))]
[JsonSerializable(typeof(ReservationState))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
