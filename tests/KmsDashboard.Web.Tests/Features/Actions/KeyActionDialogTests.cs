using Bunit;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Web.Features.Actions;
using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static KmsDashboard.Web.Tests.Features.Actions.ActionsTestContext;

namespace KmsDashboard.Web.Tests.Features.Actions;

/// <summary>The action dialog against the demo sandbox: plan shown, typed confirmation, disabled states, outcomes.</summary>
public sealed class KeyActionDialogTests
{
    private static async Task<IRenderedComponent<MudDialogProvider>> OpenAsync(DashboardTestContext ctx, KeyAction action, RegionalKey key, IReadOnlyList<RegionalKey> members)
    {
        _ = ctx.PopoverProvider;
        var provider = ctx.Render<MudDialogProvider>();
        var dialogs = ctx.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<KeyActionDialog>(KeyActionRules.Title(action), new DialogParameters<KeyActionDialog>
        {
            { d => d.Action, action },
            { d => d.Key, key },
            { d => d.Members, members },
        }));
        // Nothing is planned on open; for the actions without inputs the user goes straight to "Review plan".
        if (new[] { KeyAction.EnableKey, KeyAction.DisableKey, KeyAction.DisableRotation, KeyAction.RotateNow, KeyAction.ScheduleDeletion,
                KeyAction.ChangePrimaryRegion, KeyAction.CancelDeletion, KeyAction.CopyPrimaryProperties }.Contains(action))
        {
            Assert.Empty(provider.FindAll("#plan-calls"));
            provider.WaitForElement("#plan-button").Click();
        }
        return provider;
    }

    [Fact]
    public async Task OpeningTheDialogPlansNothingAndClosingItDropsThePlanShown()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var operations = ctx.Services.GetRequiredService<KeyOperations>();
        _ = ctx.PopoverProvider;
        var provider = ctx.Render<MudDialogProvider>();
        var dialogs = ctx.Services.GetRequiredService<IDialogService>();
        await provider.InvokeAsync(() => dialogs.ShowAsync<KeyActionDialog>("Disable", new DialogParameters<KeyActionDialog>
        {
            { d => d.Action, KeyAction.DisableKey }, { d => d.Key, set.Primary! }, { d => d.Members, [.. set.Members.Values] },
        }));

        provider.WaitForElement("#plan-button");
        Assert.Empty(provider.FindAll("#plan-calls"));
        Assert.Equal(0, operations.IssuedPlanCount);
        provider.Find("#plan-button").Click();
        provider.WaitForElement("#plan-calls", TimeSpan.FromSeconds(30));
        Assert.Equal(1, operations.IssuedPlanCount);
        provider.Find("#cancel").Click();
        provider.WaitForAssertion(() => Assert.Equal(0, operations.IssuedPlanCount));
    }

    [Fact]
    public async Task AnActionHeldByASlowRegionCanBeCancelledAndTheDialogSaysWhatHappened()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Operator);
        var key = inventory.Current.SingleRegionKeys.First(k => k.State == "Enabled");
        var cut = await OpenAsync(ctx, KeyAction.EditDescription, key, [key]);
        cut.WaitForElement("#description").Change("held up");
        cut.Find("#plan-button").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find("#confirm").HasAttribute("disabled")), TimeSpan.FromSeconds(30));
        var faults = ctx.Sandbox.Services.GetRequiredService<KmsDashboard.Sandbox.Hosting.SandboxFaults>();
        faults.Set(key.Region, new KmsDashboard.Sandbox.Hosting.RegionFault(Latency: TimeSpan.FromSeconds(60)));
        try
        {
            cut.Find("#confirm").Click();
            cut.WaitForAssertion(() => Assert.Contains("Working", cut.Find("#confirm").TextContent, StringComparison.Ordinal));
            Assert.False(cut.Find("#cancel").HasAttribute("disabled"));

            cut.Find("#cancel").Click();

            cut.WaitForAssertion(() => Assert.Equal("Unknown", cut.Find("#action-result").GetAttribute("data-outcome")), TimeSpan.FromSeconds(15));
            Assert.Contains("verify", cut.Find("#action-result").TextContent, StringComparison.Ordinal);
        }
        finally
        {
            faults.Clear(key.Region);
        }
    }

    [Fact]
    public async Task DisableStaysDisabledUntilTheKeyIdIsTyped()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var cut = await OpenAsync(ctx, KeyAction.DisableKey, set.Primary!, [.. set.Members.Values]);

        cut.WaitForElement("#plan-calls", TimeSpan.FromSeconds(30));
        Assert.True(cut.Find("#confirm").HasAttribute("disabled"));
        cut.Find("#typed-confirmation").Input("mrk-not-this-one");
        Assert.True(cut.Find("#confirm").HasAttribute("disabled"));
        cut.Find("#typed-confirmation").Input(set.KeyId);

        cut.WaitForAssertion(() => Assert.False(cut.Find("#confirm").HasAttribute("disabled")));
    }

    [Fact]
    public async Task TypingAnAliasOfTheKeyAlsoConfirms()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var cut = await OpenAsync(ctx, KeyAction.DisableKey, set.Primary!, [.. set.Members.Values]);

        cut.WaitForElement("#typed-confirmation", TimeSpan.FromSeconds(30)).Input("alias/payments-prod");

        cut.WaitForAssertion(() => Assert.False(cut.Find("#confirm").HasAttribute("disabled")));
    }

    [Fact]
    public async Task SchedulingDeletionOfAPrimaryShowsTheBlastRadiusPendingReplicaDeletionAndTheCallsRegionByRegion()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var cut = await OpenAsync(ctx, KeyAction.ScheduleDeletion, set.Primary!, [.. set.Members.Values]);

        cut.WaitForElement("#plan-calls", TimeSpan.FromSeconds(30));

        Assert.Contains("PendingReplicaDeletion", cut.Find("#plan-notes").TextContent, StringComparison.Ordinal);
        Assert.Contains("alias/payments-prod", cut.Find("#plan-blast-radius").TextContent, StringComparison.Ordinal);
        Assert.Contains("3 replica(s)", cut.Find("#plan-blast-radius").TextContent, StringComparison.Ordinal);
        var call = Assert.Single(cut.FindAll("#plan-calls tbody tr"));
        Assert.Contains("ScheduleKeyDeletion", call.TextContent, StringComparison.Ordinal);
        Assert.Contains("PendingWindowInDays=30", call.TextContent, StringComparison.Ordinal);
        Assert.Equal(3, cut.FindAll("[data-replica]").Count);
    }

    [Fact]
    public async Task AnAliasTypedWithoutItsPrefixConfirmsAndAWrongTextSaysWhatIsExpected()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var cut = await OpenAsync(ctx, KeyAction.DisableKey, set.Primary!, [.. set.Members.Values]);

        cut.WaitForElement("#typed-confirmation", TimeSpan.FromSeconds(30)).Input("payments-prd");
        cut.WaitForAssertion(() => Assert.Contains("does not name this key", cut.Markup, StringComparison.Ordinal));
        Assert.Contains(set.KeyId, cut.Find("#typed-confirmation-error").TextContent, StringComparison.Ordinal);
        cut.Find("#typed-confirmation").Input("payments-prod");

        cut.WaitForAssertion(() => Assert.False(cut.Find("#confirm").HasAttribute("disabled")));
        Assert.DoesNotContain("does not name this key", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAliasNameIsCheckedAsItIsTypedBeforeAnyPlan()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var cut = await OpenAsync(ctx, KeyAction.CreateAlias, set.Primary!, [.. set.Members.Values]);

        cut.WaitForElement("#alias-name").Input("alias/pay ments");

        cut.WaitForAssertion(() => Assert.Contains("may hold only", cut.Find("#alias-name-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#plan-calls"));
        cut.Find("#alias-name").Input("alias/payments-eu");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#alias-name-error")));
    }

    [Fact]
    public async Task AnOutOfRangeWindowIsKeptAsTypedExplainedAndNeverConfirmed()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var cut = await OpenAsync(ctx, KeyAction.ScheduleDeletion, set.Primary!, [.. set.Members.Values]);
        cut.WaitForElement("#plan-calls", TimeSpan.FromSeconds(30));

        var window = cut.Find("#pending-window");
        window.Input("5");
        window.Blur();

        cut.WaitForAssertion(() => Assert.Equal("5", cut.Find("#pending-window").GetAttribute("value")));
        Assert.Contains("7", cut.Find("#pending-window-error").TextContent, StringComparison.Ordinal);
        cut.Find("#typed-confirmation").Input(set.KeyId);
        Assert.True(cut.Find("#confirm").HasAttribute("disabled"));
        Assert.NotNull(cut.Find("#plan-stale"));

        cut.Find("#plan-button").Click();
        cut.WaitForAssertion(() => Assert.Contains("7", cut.Find("#plan-problems").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.True(cut.Find("#confirm").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ChangingTheWindowAfterPlanningDisablesConfirmUntilPlannedAgain()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var cut = await OpenAsync(ctx, KeyAction.ScheduleDeletion, set.Primary!, [.. set.Members.Values]);
        cut.WaitForElement("#typed-confirmation", TimeSpan.FromSeconds(30)).Input(set.KeyId);
        cut.WaitForAssertion(() => Assert.False(cut.Find("#confirm").HasAttribute("disabled")));

        cut.Find("#pending-window").Input("10");

        cut.WaitForAssertion(() => Assert.True(cut.Find("#confirm").HasAttribute("disabled")));
        cut.Find("#plan-button").Click();
        cut.WaitForAssertion(() => Assert.Contains("PendingWindowInDays=10", cut.Find("#plan-calls").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        cut.Find("#typed-confirmation").Input(set.KeyId);
        cut.WaitForAssertion(() => Assert.False(cut.Find("#confirm").HasAttribute("disabled")));
    }

    [Fact]
    public async Task AViewerIsShownTheRefusalAndCannotConfirm()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Viewer);
        var set = inventory.KeySetWithAlias("alias/orders-db");
        var disabled = set.Members.Values.Single(m => m.State == "Disabled");
        var cut = await OpenAsync(ctx, KeyAction.EnableKey, disabled, [.. set.Members.Values]);

        cut.WaitForElement("#plan-problems", TimeSpan.FromSeconds(30));

        Assert.Contains("needs the role Operator or Admin", cut.Find("#plan-problems").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("#confirm").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("#plan-calls"));
    }

    [Fact]
    public async Task ReplicateCannotBeConfirmedBeforeATargetIsChosenAndPlanned()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Operator);
        var set = inventory.KeySetWithAlias("alias/customer-pii");
        var cut = await OpenAsync(ctx, KeyAction.Replicate, set.Primary!, [.. set.Members.Values]);

        cut.WaitForElement("#plan-button");
        Assert.True(cut.Find("#confirm").HasAttribute("disabled"));
        cut.Find("#plan-button").Click();
        cut.WaitForElement("#plan-problems", TimeSpan.FromSeconds(30));
        Assert.Contains("at least one target Region", cut.Find("#plan-problems").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("#confirm").HasAttribute("disabled"));

        cut.Find("[data-target-region='eu-west-1'] input").Change(true);
        cut.Find("#plan-button").Click();

        cut.WaitForAssertion(() => Assert.Contains("ReplicaRegion=eu-west-1", cut.Find("#plan-calls").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.False(cut.Find("#confirm").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("#typed-confirmation"));
    }

    [Fact]
    public async Task ConfirmingShowsEachCallsOutcomeWithItsRequestId()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Operator);
        var key = inventory.Current.SingleRegionKeys.First(k => k.State == "Enabled");
        var cut = await OpenAsync(ctx, KeyAction.EditDescription, key, [key]);

        cut.WaitForElement("#description").Change("rotated by the platform team");
        cut.Find("#plan-button").Click();
        cut.WaitForAssertion(() => Assert.False(cut.Find("#confirm").HasAttribute("disabled")), TimeSpan.FromSeconds(30));
        cut.Find("#confirm").Click();

        cut.WaitForAssertion(() => Assert.Equal("Succeeded", cut.Find("#action-result").GetAttribute("data-outcome")), TimeSpan.FromSeconds(30));
        Assert.Contains("Request id", cut.Find("#plan-calls").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheActionBarShowsEachRoleOnlyItsActionsAndNothingToAViewer()
    {
        foreach (var (user, expectDisable, expectReplicate) in new[] { (Viewer, false, false), (Operator, false, true), (Admin, true, true) })
        {
            await using var ctx = new DashboardTestContext();
            var inventory = await ctx.UseActionsAsync(user);
            var set = inventory.KeySetWithAlias("alias/payments-prod");
            var context = new KeyDetailContext(set.KeyId, [.. set.Members.Values], set, set.PrimaryRegion, inventory.Current);

            var cut = ctx.RenderWithPopovers<KeyActionBar>(p => p.Add(x => x.Key, context));

            Assert.Equal(expectReplicate, cut.FindAll("#action-replicate").Count == 1);
            Assert.Equal(expectDisable, cut.FindAll("#action-disable").Count == 1);
            Assert.Equal(expectDisable, cut.FindAll("#action-schedule-deletion").Count == 1);
            Assert.Equal(expectReplicate, cut.FindAll("#key-actions").Count == 1);
        }
    }

    [Fact]
    public async Task TheActionBarSaysSoWhenTheDashboardIsReadOnly()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin, readOnly: true);
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        var context = new KeyDetailContext(set.KeyId, [.. set.Members.Values], set, set.PrimaryRegion, inventory.Current);

        var cut = ctx.RenderWithPopovers<KeyActionBar>(p => p.Add(x => x.Key, context));

        Assert.Single(cut.FindAll("#actions-read-only"));
        Assert.Empty(cut.FindAll("#key-actions"));
    }

    [Fact]
    public async Task APrimaryPendingReplicaDeletionIsOfferedOnlyWhatCanSucceedAndTheBarSaysWhy()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseActionsAsync(Admin);
        var legacy = inventory.KeySetWithAlias("alias/legacy-billing");
        var context = new KeyDetailContext(legacy.KeyId, inventory.Current.FindById(legacy.KeyId), legacy, legacy.PrimaryRegion, inventory.Current);

        var cut = ctx.RenderWithPopovers<KeyActionBar>(p => p.Add(x => x.Key, context));

        cut.WaitForElement("#key-actions");
        Assert.Empty(cut.FindAll("#action-replicate"));
        Assert.Empty(cut.FindAll("#action-change-primary"));
        Assert.Empty(cut.FindAll("#action-rotation"));
        Assert.Single(cut.FindAll("#action-cancel-deletion"));
        Assert.Contains("PendingReplicaDeletion", cut.Find("#actions-not-offered").TextContent, StringComparison.Ordinal);
    }
}
