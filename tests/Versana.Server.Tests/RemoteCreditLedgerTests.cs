using Microsoft.Extensions.DependencyInjection;

namespace Versana.Server.Tests;

/// <summary>The SDK on <see cref="RemoteCreditLedger"/> against the real server on loopback.</summary>
public sealed class RemoteCreditLedgerTests
{
    private static readonly Conversation s_conversation = new("c1", [new ConversationMessage("Dana", "I was charged twice, please refund me.", true)]);

    private static ServiceProvider Sdk(ServerHarness server, string key, string workspace, Action<RemoteLedgerOptions>? configure = null, FaultInjectingHandler? faults = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVersana(o => o.WorkspaceId = workspace).UseRemoteLedger(server.BaseAddress, key, o =>
        {
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            configure?.Invoke(o);
        });
        if (faults is not null)
        {
            // Added after the resilience handler, so it sits inside it: every retry meets the faults again.
            services.AddHttpClient(RemoteCreditLedger.HttpClientName).AddHttpMessageHandler(() => faults);
        }

        return services.BuildServiceProvider();
    }

    private static ServiceProvider FailOpenSdk(ServerHarness server, string key, long allowance, FaultInjectingHandler faults) => Sdk(server, key, "acme", o =>
    {
        o.MaxRetries = 1;
        o.WhenUnavailable = LedgerUnavailableBehavior.FailOpen;
        o.FailOpenAllowance = allowance;
    }, faults);

    /// <summary>A fail-open SDK on a new workspace that, while the service is away, reserved and committed <paramref name="credits"/> locally.</summary>
    private static async Task<ServiceProvider> ChargedWhileAwayAsync(ServerHarness server, FaultInjectingHandler faults, long credits)
    {
        var sdk = FailOpenSdk(server, await server.CreateWorkspaceAsync("acme"), allowance: 10, faults);
        var remote = sdk.GetRequiredService<VersanaLedgerHolder>().Ledger;
        var local = await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "away") { Credits = credits });
        await remote.CommitAsync("acme", local.Reservation!.Id);
        return sdk;
    }

    /// <summary>Waits for the charges made while the service was away to reach it (they go in the background).</summary>
    private static async Task ReconciledAsync(RemoteCreditLedger remote)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (remote.UnreconciledCredits > 0)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task CreateWorkspace_WithTheAdminKey_ReturnsTheNewWorkspacesBalance()
    {
        await using var server = await ServerHarness.StartAsync();
        await using var sdk = Sdk(server, ServerHarness.AdminKey, "beta");

        var created = await sdk.GetRequiredService<ICreditLedger>().CreateWorkspaceAsync(new WorkspaceSettings("beta", "Starter"));

        var stored = await server.Ledger.GetBalanceAsync("beta");
        Assert.Equal(("beta", "Starter", stored.Allocation, stored.Available), (created.WorkspaceId, created.Plan, created.Allocation, created.Available));
        Assert.True(created.Allocation > 0);
    }

    [Fact]
    public async Task GuardedClients_AndEveryLedgerCall_WorkOverHttp()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme");
        await using var sdk = Sdk(server, key, "acme");
        var ledger = sdk.GetRequiredService<ICreditLedger>();

        var summary = await sdk.GetRequiredService<IConversationSummaryClient>().SummarizeAsync(s_conversation);
        var reply = await sdk.GetRequiredService<IReplySuggestionClient>().SuggestReplyAsync(s_conversation);
        var reserved = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "own-1") { Credits = 4, Actor = "bot", Ttl = TimeSpan.FromSeconds(30) });
        var committed = await ledger.CommitAsync("acme", reserved.Reservation!.Id, actualCredits: 3, tokens: 99);
        var boost = await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(1000, "boost-1"));
        var settings = await ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { AutomationEnabled = false });

        Assert.Contains("charged twice", summary.Text);
        Assert.NotEmpty(reply.Text);
        Assert.Equal((3, 1), (committed.Charged, committed.Returned));
        Assert.Equal(1000, boost.Credits);
        Assert.False(settings.AutomationEnabled);
        var local = await server.Ledger.GetBalanceAsync("acme");
        var remote = await ledger.GetBalanceAsync("acme");
        Assert.Equal((5, 1000, local.Available), (remote.Used, remote.BoostRemaining, remote.Available));
        Assert.Equal(ReservationStatus.Committed, (await ledger.GetReservationAsync("acme", reserved.Reservation.Id))?.Status);
        Assert.Null(await ledger.GetReservationAsync("acme", "res_unknown"));
        var usage = await ledger.GetUsageAsync("acme", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        Assert.Equal(5, usage.TotalCredits);
        Assert.Equal(99, usage.ByFeature.Single(f => f.Feature == AiFeature.Classification).Tokens);
        Assert.Equal((await server.Ledger.GetEntriesAsync("acme", 0, 100)).Count, (await ledger.GetEntriesAsync("acme", 0, 100)).Count);
        Assert.True((await ledger.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task ServiceErrors_ComeBackAsTheLedgersOwnExceptionsAndDenials()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme");
        await using var sdk = Sdk(server, key, "acme");
        var ledger = sdk.GetRequiredService<ICreditLedger>();
        await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "k-1"));

        var reused = await Assert.ThrowsAsync<CreditLedgerException>(async () => await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ReplySuggestion, "k-1")));
        var missing = await Assert.ThrowsAsync<CreditLedgerException>(async () => await ledger.CommitAsync("acme", "res_nope"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await ledger.ReserveAsync("acme", new ReservationRequest(new AiFeature("TimeTravel"), "k-2")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ledger.PurchaseBoostPackAsync("acme", new BoostPackRequest(7, "b-1")));
        var otherWorkspace = await Assert.ThrowsAsync<CreditLedgerException>(async () => await ledger.GetBalanceAsync("globex"));

        Assert.Equal(CreditLedgerError.IdempotencyKeyReused, reused.Error);
        Assert.Equal(CreditLedgerError.ReservationNotFound, missing.Error);
        Assert.Equal(CreditLedgerError.WorkspaceNotFound, otherWorkspace.Error);

        var all = await ledger.ReserveAsync("acme", new ReservationRequest(AiFeature.ConversationSummary, "all") { Credits = 2999 });
        await ledger.CommitAsync("acme", all.Reservation!.Id);
        var paused = await Assert.ThrowsAsync<AiPausedException>(() => sdk.GetRequiredService<IConversationSummaryClient>().SummarizeAsync(s_conversation));
        Assert.Equal(CreditDenialReason.CreditsExhausted, paused.Reason);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), paused.ResumesAt);
        Assert.Equal([1000, 5000, 20000], paused.BoostPackSizes);
    }

    [Fact]
    public async Task LostRequestsAndLostResponses_NeverChargeTwice_NorLoseACharge()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme", plan: "Scale");
        var faults = new FaultInjectingHandler(seed: 2026, dropBefore: 0.10, dropAfter: 0.20);
        await using var sdk = Sdk(server, key, "acme", o =>
        {
            o.MaxRetries = 12;
            o.BreakerFailureRatio = 1.0;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
        }, faults);
        var guard = sdk.GetRequiredService<ICreditGuard>();

        var succeeded = 0;
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(client => Task.Run(async () =>
        {
            for (var call = 0; call < 250; call++)
            {
                try
                {
                    await guard.ExecuteAsync(AiFeature.ConversationSummary, (_, _) => ValueTask.FromResult(call));
                    Interlocked.Increment(ref succeeded);
                }
                catch (CreditLedgerException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));

        var balance = await server.Ledger.GetBalanceAsync("acme");
        Assert.Equal(2000, succeeded + failed);
        Assert.True(faults.DroppedBefore > 100 && faults.DroppedAfter > 200, $"faults: {faults.DroppedBefore} before, {faults.DroppedAfter} after");
        Assert.Equal(succeeded, balance.Used);
        Assert.True((await server.Ledger.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task Unreachable_FailsClosed_WithLedgerUnavailable_NotAPause()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme");
        var faults = new FaultInjectingHandler(1, 0, 0) { Down = true };
        await using var sdk = Sdk(server, key, "acme", o => o.MaxRetries = 2, faults);

        var error = await Assert.ThrowsAsync<CreditLedgerException>(() => sdk.GetRequiredService<IConversationSummaryClient>().SummarizeAsync(s_conversation));

        Assert.Equal(CreditLedgerError.LedgerUnavailable, error.Error);
        Assert.Equal(0, (await server.Ledger.GetBalanceAsync("acme")).Used);
    }

    [Fact]
    public async Task Unreachable_FailsOpen_WithinTheAllowance_ThenReconciles()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme");
        var faults = new FaultInjectingHandler(1, 0, 0) { Down = true };
        await using var sdk = FailOpenSdk(server, key, allowance: 3, faults);
        var summaries = sdk.GetRequiredService<IConversationSummaryClient>();
        var remote = (RemoteCreditLedger)sdk.GetRequiredService<VersanaLedgerHolder>().Ledger;

        for (var i = 0; i < 3; i++)
        {
            await summaries.SummarizeAsync(s_conversation);
        }

        var refused = await Assert.ThrowsAsync<CreditLedgerException>(() => summaries.SummarizeAsync(s_conversation));
        Assert.Equal(CreditLedgerError.LedgerUnavailable, refused.Error);
        Assert.Equal(3, remote.UnreconciledCredits);
        Assert.Equal(0, (await server.Ledger.GetBalanceAsync("acme")).Used);

        faults.Down = false;
        await summaries.SummarizeAsync(s_conversation);
        await ReconciledAsync(remote);

        Assert.Equal(4, (await server.Ledger.GetBalanceAsync("acme")).Used);
        Assert.True((await server.Ledger.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task AReconcilingChargeWhoseHoldExpiredWhileTheServiceWasAwayAgain_IsStillCharged()
    {
        await using var server = await ServerHarness.StartAsync();
        var faults = new FaultInjectingHandler(1, 0, 0) { Down = true };
        await using var sdk = await ChargedWhileAwayAsync(server, faults, credits: 4);
        var remote = (RemoteCreditLedger)sdk.GetRequiredService<VersanaLedgerHolder>().Ledger;

        // Back, but only for a moment: the charge's reservation is made, its commit is lost.
        faults.Down = false;
        faults.DownFor = request => request.RequestUri!.AbsolutePath.EndsWith("/commit", StringComparison.Ordinal);
        await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "back-1") { Credits = 1 });
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while ((await server.Ledger.GetBalanceAsync("acme")).Held < 5)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        // Away longer than that reservation lives; then back for good.
        server.Clock.Advance(TimeSpan.FromMinutes(3));
        faults.DownFor = null;
        await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "back-2") { Credits = 1 });
        await ReconciledAsync(remote);

        var balance = await server.Ledger.GetBalanceAsync("acme");
        Assert.Equal((4L, 1L), (balance.Used, balance.Held));
        Assert.True((await server.Ledger.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task AReconcilingChargeWhoseHoldLapsesBeforeItsCommitArrives_IsStillCharged()
    {
        await using var server = await ServerHarness.StartAsync();
        var faults = new FaultInjectingHandler(1, 0, 0) { Down = true };
        await using var sdk = await ChargedWhileAwayAsync(server, faults, credits: 4);
        var remote = (RemoteCreditLedger)sdk.GetRequiredService<VersanaLedgerHolder>().Ledger;

        // Back; the charge's reservation is made, and its commit reaches the service only after that reservation lapsed.
        var slow = 0;
        faults.OnSend = request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/commit", StringComparison.Ordinal) && Interlocked.Exchange(ref slow, 1) == 0)
            {
                server.Clock.Advance(TimeSpan.FromMinutes(3));
            }
        };
        faults.Down = false;
        await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "back") { Credits = 1 });
        await ReconciledAsync(remote);

        var balance = await server.Ledger.GetBalanceAsync("acme");
        Assert.Equal((4L, 0L), (balance.Used, balance.Held));
        Assert.True((await server.Ledger.VerifyAsync("acme")).IsConsistent);
    }

    [Fact]
    public async Task Unreachable_FailsOpen_LocalGrantsFollowTheLedgersRules_OverChargeRefused_LapsedHoldsGiveTheirCreditsBack()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(server.Clock.GetUtcNow());

        // Made by hand, on a clock of its own for the local grants (the resilience pipeline keeps real time).
        using var http = new HttpClient(new FaultInjectingHandler(1, 0, 0) { Down = true, InnerHandler = new HttpClientHandler() });
        var remote = server.FailOpenLedger(http, key, allowance: 3, clock);

        // More than was held is refused, as the service refuses it, and the hold stays.
        var small = await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "small") { Credits = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => remote.CommitAsync("acme", small.Reservation!.Id, actualCredits: 5).AsTask().GetAwaiter().GetResult());
        Assert.Equal(1, (await remote.CommitAsync("acme", small.Reservation!.Id)).Charged);

        // A grant never completed holds its credits only for its TTL.
        var forgotten = await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "forgotten") { Credits = 2 });
        var refused = await Assert.ThrowsAsync<CreditLedgerException>(() => remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "more") { Credits = 1 }).AsTask());
        Assert.Equal(CreditLedgerError.LedgerUnavailable, refused.Error);
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True((await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "after") { Credits = 2 })).IsGranted);
        var late = await Assert.ThrowsAsync<CreditLedgerException>(() => remote.CommitAsync("acme", forgotten.Reservation!.Id).AsTask());
        Assert.Equal(CreditLedgerError.ReservationExpired, late.Error);
        Assert.Equal(1, remote.UnreconciledCredits); // the commit of 1; the 2 "after" are only held
    }

    [Fact]
    public async Task AKeyGrantedLocally_RetriedOnceTheServiceIsBack_GetsItsLocalReservation_AndIsChargedOnce()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme");
        var faults = new FaultInjectingHandler(1, 0, 0) { Down = true };
        await using var sdk = FailOpenSdk(server, key, allowance: 10, faults);
        var remote = (RemoteCreditLedger)sdk.GetRequiredService<VersanaLedgerHolder>().Ledger;
        var request = new ReservationRequest(AiFeature.ConversationSummary, "while-away") { Credits = 3 };
        var local = await remote.ReserveAsync("acme", request);
        await remote.CommitAsync("acme", local.Reservation!.Id);

        // The service never saw this key: a reservation of it there would charge the action a second time.
        faults.Down = false;
        var retried = await remote.ReserveAsync("acme", request);
        Assert.Equal((local.Reservation.Id, ReservationStatus.Committed), (retried.Reservation!.Id, retried.Reservation.Status));
        var reused = await Assert.ThrowsAsync<CreditLedgerException>(() => remote.ReserveAsync("acme", request with { Credits = 4 }).AsTask());
        Assert.Equal(CreditLedgerError.IdempotencyKeyReused, reused.Error);

        await remote.ReserveAsync("acme", new ReservationRequest(AiFeature.Classification, "online") { Credits = 1 });
        await ReconciledAsync(remote);
        var balance = await server.Ledger.GetBalanceAsync("acme");
        Assert.Equal((3L, 1L), (balance.Used, balance.Held));
    }

    [Fact]
    public async Task Unreachable_FailsOpen_ThenReconcilesAtTheWorkspacesOwnPrices()
    {
        await using var server = await ServerHarness.StartAsync();
        var key = await server.CreateWorkspaceAsync("acme");
        await server.Ledger.UpdateSettingsAsync("acme", new WorkspaceSettingsUpdate { Costs = new Dictionary<AiFeature, long> { [AiFeature.ConversationSummary] = 3 } });
        var faults = new FaultInjectingHandler(1, 0, 0) { Down = true };
        await using var sdk = FailOpenSdk(server, key, allowance: 10, faults);
        var remote = (RemoteCreditLedger)sdk.GetRequiredService<VersanaLedgerHolder>().Ledger;
        var guard = sdk.GetRequiredService<ICreditGuard>();

        // While the service is away the process cannot know the workspace's prices: the allowance counts the
        // default ones (2 for an automated response), and the service charges its own when it is back.
        await sdk.GetRequiredService<IConversationSummaryClient>().SummarizeAsync(s_conversation);
        await guard.ExecuteAsync(AiFeature.AutomatedResponse, (_, _) => new ValueTask<int>(0));
        await guard.ExecuteAsync(AiFeature.Classification, (context, _) =>
        {
            context.ReportActualCost(0);
            return new ValueTask<int>(0);
        }, new AiCallOptions { Credits = 5 });
        Assert.Equal(3, remote.UnreconciledCredits);

        faults.Down = false;
        await guard.ExecuteAsync(AiFeature.ReplySuggestion, (_, _) => new ValueTask<int>(0));
        await ReconciledAsync(remote);

        // 3 for the summary at the workspace's price, 2 for the automated response, 1 for the reply; the metered call charged 0.
        Assert.Equal(6, (await server.Ledger.GetBalanceAsync("acme")).Used);
        Assert.True((await server.Ledger.VerifyAsync("acme")).IsConsistent);
    }
}
