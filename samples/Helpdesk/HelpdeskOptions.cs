namespace Helpdesk;

/// <summary>The sample's settings (section <c>Helpdesk</c>; <c>--Helpdesk:Database=...</c> on the command line).</summary>
internal sealed class HelpdeskOptions
{
    /// <summary>Gets or sets the ledger database file.</summary>
    public string Database { get; set; } = Path.Combine("App_Data", "helpdesk-ledger.db");

    /// <summary>Gets or sets the demo workspace id.</summary>
    public string Workspace { get; set; } = "demo";

    /// <summary>Gets or sets the credits left after the seeded month of usage, so the pause is a few clicks away.</summary>
    public int DemoRemainingCredits { get; set; } = 20;
}
