namespace Versana.Sdk.Tests.Guard;

/// <summary>What the seeded sequences that run the SDK next to a ledger without a cache share (the guard's and the middleware's).</summary>
internal static class TwinSequence
{
    public static readonly AiFeature[] Features = [AiFeature.ReplySuggestion, AiFeature.ConversationSummary, AiFeature.Classification, AiFeature.AutomatedResponse];

    public static readonly string[] Plans = ["Solo", "Starter", "Growth", "Scale"];

    /// <summary>Runs a change: <see langword="null"/> when it went through, else the ledger's error (compared between the two ledgers).</summary>
    public static async Task<CreditLedgerError?> ErrorOfAsync(Func<Task> change)
    {
        try
        {
            await change();
            return null;
        }
        catch (CreditLedgerException ex)
        {
            return ex.Error;
        }
    }
}
