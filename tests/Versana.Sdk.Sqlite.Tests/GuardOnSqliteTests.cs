using Microsoft.Extensions.DependencyInjection;

namespace Versana.Sdk.Sqlite.Tests;

public sealed class GuardOnSqliteTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ConcurrentGuardedCalls_NeverOverspend()
    {
        var services = new ServiceCollection();
        services.AddVersana(o => o.WorkspaceId = "acme").UseSqliteLedger(_database.Path);
        await using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<ICreditLedger>();
        var guard = provider.GetRequiredService<ICreditGuard>();
        await ledger.CreateWorkspaceAsync(new WorkspaceSettings("acme", "Starter"));
        var succeeded = 0;
        var refused = 0;

        async Task Worker()
        {
            while (true)
            {
                var result = await guard.TryExecuteAsync(AiFeature.ReplySuggestion, (_, _) => new ValueTask<int>(1));
                if (!result.Succeeded)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }

                Interlocked.Increment(ref succeeded);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(Worker)));

        Assert.Equal(3_000, succeeded);
        Assert.Equal(16, refused);
        var balance = await ledger.GetBalanceAsync("acme");
        Assert.Equal((3_000L, 0L, 0L), (balance.Used, balance.Held, balance.Available));
        Assert.True((await ledger.VerifyAsync("acme")).IsConsistent);
    }
}
