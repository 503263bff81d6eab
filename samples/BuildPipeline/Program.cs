// A build pipeline's view of the Versana analyzer: this program summarises a thread through the guard.
// Unguarded.cs (compiled only with -p:IncludeUnguardedCall=true) calls the raw backend directly,
// and `dotnet build -warnaserror` then fails with VCX0001.
using Microsoft.Extensions.DependencyInjection;
using Versana.Sdk;

var services = new ServiceCollection();
services.AddVersana(o => o.WorkspaceId = "acme").UseInMemoryLedger();
await using var provider = services.BuildServiceProvider();
await provider.GetRequiredService<ICreditLedger>().CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));

var thread = new Conversation("c1", [new ConversationMessage("Ana", "The export to PDF fails with an error since this morning.", true)]);
var summary = await Summaries.GuardedAsync(provider.GetRequiredService<ICreditGuard>(), provider.GetRequiredService<IAiFeatureBackend>(), thread);
Console.WriteLine($"Guarded summary: {summary.Text}");

internal static partial class Summaries
{
    public static async Task<ConversationSummary> GuardedAsync(ICreditGuard guard, IAiFeatureBackend backend, Conversation thread)
        => await guard.ExecuteAsync(AiFeature.ConversationSummary, (credits, ct) => new ValueTask<ConversationSummary>(backend.SummarizeAsync(thread, ct)));
}
