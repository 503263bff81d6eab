using System.Text.Json;
using System.Text.Json.Serialization;

namespace Versana.Sdk;

/// <summary>
/// Source-generated JSON metadata for the credits API's wire types, with the settings of
/// <see cref="VersanaJson"/>: the service and <c>RemoteCreditLedger</c> serialize these without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(CreditBalance))]
[JsonSerializable(typeof(CreditReservationResult))]
[JsonSerializable(typeof(CreditReservation))]
[JsonSerializable(typeof(CreditDenial))]
[JsonSerializable(typeof(CommitResult))]
[JsonSerializable(typeof(ReleaseResult))]
[JsonSerializable(typeof(BoostPackPurchase))]
[JsonSerializable(typeof(PlanChangeResult))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(LedgerVerification))]
[JsonSerializable(typeof(IReadOnlyList<LedgerEntry>))]
[JsonSerializable(typeof(ReserveBody))]
[JsonSerializable(typeof(CommitBody))]
[JsonSerializable(typeof(SettingsBody))]
[JsonSerializable(typeof(PlanBody))]
[JsonSerializable(typeof(CreateWorkspaceBody))]
[JsonSerializable(typeof(CreatedWorkspace))]
[JsonSerializable(typeof(IssuedApiKey))]
[JsonSerializable(typeof(FeatureBody))]
[JsonSerializable(typeof(BoostPackBody))]
internal sealed partial class VersanaWireJsonContext : JsonSerializerContext;
