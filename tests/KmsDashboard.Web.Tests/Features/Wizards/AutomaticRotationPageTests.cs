using System.Security.Claims;
using AngleSharp.Dom;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Rotation;
using KmsDashboard.Web.Features.Wizards;
using KmsDashboard.Web.Tests.Features.Actions;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Web.Tests.Features.Actions.ActionsTestContext;

namespace KmsDashboard.Web.Tests.Features.Wizards;

/// <summary>The bulk automatic-rotation steps on the demo sandbox: choose, period, plan, typed confirmation; a changed input puts the plan away.</summary>
public sealed class AutomaticRotationPageTests
{
    private static async Task<(IRenderedComponent<AutomaticRotationPage> Page, KeySet CustomerPii)> OpenAsync(DashboardTestContext ctx, ClaimsPrincipal user, Func<KeyInventory, string>? query = null)
    {
        var inventory = await ctx.UseActionsAsync(user, more: s => s.AddRotationWizards());
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("wizards/automatic-rotation" + (query?.Invoke(inventory) ?? ""));
        var page = ctx.RenderWithPopovers<AutomaticRotationPage>();
        // Initialized once the user's role is known: an Operator's "not allowed" note goes away.
        if (user.IsInRole(KmsDashboard.Core.Security.DashboardRoles.Operator)) page.WaitForAssertion(() => Assert.Empty(page.FindAll("#wizard-not-allowed")));
        return (page, inventory.KeySetWithAlias("alias/customer-pii"));
    }

    private static IElement Choice(IRenderedComponent<AutomaticRotationPage> page, string keyId) => page.Find($"input[data-choose='{keyId}']");

    private static void PlanWithPeriod(IRenderedComponent<AutomaticRotationPage> page, string period)
    {
        page.Find("#rotation-period").Input(period);
        page.Find("#plan-button").Click();
        page.WaitForElement("#step-plan", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ChangingThePeriodAfterPlanningPutsThePlanAwayAndConfirmGoesWithIt()
    {
        await using var ctx = new DashboardTestContext();
        var (page, pii) = await OpenAsync(ctx, Operator);
        Choice(page, pii.KeyId).Change(true);
        PlanWithPeriod(page, "180");
        page.WaitForAssertion(() => Assert.Contains("rotate 1", page.Find("#confirmation-text").TextContent, StringComparison.Ordinal));
        page.Find("#typed-confirmation").Input("rotate 1");
        page.WaitForAssertion(() => Assert.False(page.Find("#confirm").HasAttribute("disabled")));

        page.Find("#rotation-period").Input("400");

        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("#step-plan"));
            Assert.Empty(page.FindAll("#confirm"));
            Assert.NotNull(page.Find("#plan-invalidated"));
        });
    }

    [Fact]
    public async Task ChangingTheChoiceOrTheFilterAfterPlanningPutsThePlanAway()
    {
        await using var ctx = new DashboardTestContext();
        var (page, pii) = await OpenAsync(ctx, Operator);
        Choice(page, pii.KeyId).Change(true);
        PlanWithPeriod(page, "365");
        var plan = page.Find("#step-plan");
        Assert.Equal("Ready", plan.GetAttribute("data-status"));
        Assert.Contains("customer-pii", page.Find("#plan-changes").TextContent, StringComparison.Ordinal);

        Choice(page, pii.KeyId).Change(false);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#step-plan")));

        Choice(page, pii.KeyId).Change(true);
        PlanWithPeriod(page, "365");
        page.Find("#filter-tag").Input("no-such-tag");
        page.WaitForAssertion(() =>
        {
            Assert.Empty(page.FindAll("#step-plan"));
            Assert.Contains("0 chosen", page.Find("#selection-count").TextContent, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("abc", "'abc' is not a whole number of days")]
    [InlineData("60", "must be 90 to 2560 days; 60 was given")]
    public async Task ABadPeriodIsShownAsCoreRefusedItAndNothingCanBeConfirmed(string period, string message)
    {
        await using var ctx = new DashboardTestContext();
        var (page, pii) = await OpenAsync(ctx, Operator);
        Choice(page, pii.KeyId).Change(true);

        PlanWithPeriod(page, period);

        page.WaitForAssertion(() => Assert.Contains(message, page.Find("#plan-problems").TextContent, StringComparison.Ordinal));
        Assert.Equal("Invalid", page.Find("#step-plan").GetAttribute("data-status"));
        Assert.Empty(page.FindAll("#confirm"));
        Assert.Equal(period, page.Find("#rotation-period").GetAttribute("value"));
    }

    [Fact]
    public async Task ConfirmWaitsForTheTypedTextThenShowsEachKeySetsOutcome()
    {
        await using var ctx = new DashboardTestContext();
        var (page, pii) = await OpenAsync(ctx, Operator, i => $"?key={i.KeySetWithAlias("alias/customer-pii").KeyId}");
        page.WaitForAssertion(() => Assert.True(Choice(page, pii.KeyId).IsChecked()));
        PlanWithPeriod(page, "365");
        Assert.True(page.Find("#confirm").HasAttribute("disabled"));
        page.Find("#typed-confirmation").Input("rotate 2");
        Assert.True(page.Find("#confirm").HasAttribute("disabled"));

        page.Find("#typed-confirmation").Input("rotate 1");
        page.WaitForAssertion(() => Assert.False(page.Find("#confirm").HasAttribute("disabled")));
        page.Find("#confirm").Click();

        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("#bulk-result").GetAttribute("data-outcome")), TimeSpan.FromSeconds(30));
        Assert.Equal("Succeeded", page.Find($".key-set-outcome[data-key-id='{pii.KeyId}']").GetAttribute("data-outcome"));
        Assert.Contains("Request id", page.Find("#plan-changes").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHmacKeySetIsListedWithWhyItCannotRotateAndCannotBeChosen()
    {
        await using var ctx = new DashboardTestContext();
        var (page, _) = await OpenAsync(ctx, Viewer, _ => "?rotationOff=true");
        var hmac = ctx.Services.GetRequiredService<KeyInventory>().KeySetWithAlias("alias/analytics-signing");

        var row = page.Find($".candidate[data-key-id='{hmac.KeyId}']");

        Assert.Equal("false", row.GetAttribute("data-can-rotate"));
        Assert.True(Choice(page, hmac.KeyId).HasAttribute("disabled"));
        Assert.Contains("HMAC key (HMAC_", page.Find("#rotation-candidates").TextContent, StringComparison.Ordinal);
        Assert.Contains("needs the Operator or Admin role", page.Find("#wizard-not-allowed").TextContent, StringComparison.Ordinal);
    }
}
