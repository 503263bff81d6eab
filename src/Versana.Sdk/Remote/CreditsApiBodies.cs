namespace Versana.Sdk;

// The credits API's request and reply shapes, in one place for the service (Versana.Sdk.AspNetCore reads and
// writes them) and for RemoteCreditLedger (which sends them), and generated into VersanaWireJsonContext.

/// <summary>The body of <c>POST /v1/workspaces/{id}/reservations</c>.</summary>
internal sealed record ReserveBody(AiFeature Feature, long? Credits = null, int? TtlSeconds = null, string? Actor = null);

/// <summary>The body of <c>POST .../reservations/{rid}/commit</c> (optional).</summary>
internal sealed record CommitBody(long? ActualCredits = null, long? Tokens = null);

/// <summary>The body of <c>PATCH /v1/workspaces/{id}/settings</c>.</summary>
internal sealed record SettingsBody(bool? AutomationEnabled = null, Dictionary<string, long>? Costs = null);

/// <summary>The body of <c>PUT /v1/workspaces/{id}/plan</c>.</summary>
internal sealed record PlanBody(string Plan);

/// <summary>The body of <c>POST /v1/workspaces</c> (admin).</summary>
internal sealed record CreateWorkspaceBody(string WorkspaceId, string Plan, string? TimeZoneId = null, bool AutomationEnabled = false, Dictionary<string, long>? Costs = null);

/// <summary>A new workspace and its first API key; the key is shown once and stored only as a hash.</summary>
internal sealed record CreatedWorkspace(CreditBalance Balance, string ApiKey);

/// <summary>A newly issued API key; shown once.</summary>
internal sealed record IssuedApiKey(string WorkspaceId, string ApiKey);

/// <summary>The body of the AI feature endpoints: a conversation, or one message to classify.</summary>
internal sealed record FeatureBody(Conversation? Conversation = null, string? Message = null);

/// <summary>The body of <c>POST .../boost-packs</c> (the credits API and the dashboard).</summary>
internal sealed record BoostPackBody(long Credits);
