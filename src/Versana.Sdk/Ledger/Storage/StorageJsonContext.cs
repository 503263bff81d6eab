using System.Text.Json.Serialization;

namespace Versana.Sdk.Ledger.Storage;

/// <summary>How the durable stores write entries, account state and completed reservations as JSON.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LedgerEntry))]
[JsonSerializable(typeof(AccountSnapshot))]
[JsonSerializable(typeof(ReservationSnapshot))]
[JsonSerializable(typeof(LeaseCharge))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
