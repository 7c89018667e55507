using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Security;
using KmsDashboard.Web.Features.Approvals;
using KmsDashboard.Web.Tests.Features.Actions;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Approvals;

public sealed class ApprovalsPageTests
{
    [Fact]
    public async Task AnotherAdminSeesTheRequestWithItsCallsAndApproveStaysDisabledUntilTheKeyIdIsTyped()
    {
        await using var ctx = new DashboardTestContext();
        var bob = ActionsTestContext.User("bob", DashboardRoles.Admin);
        var inventory = await ctx.UseActionsAsync(bob, more: s => s.Configure<SafetyOptions>(o => o.RequireApproval = true));
        var key = inventory.Current.SingleRegionKeys.First(k => k.State == "Enabled");
        var plan = await ctx.Services.GetRequiredService<KeyOperations>()
            .PlanAsync(ActionsTestContext.Admin, new DisableKeyRequest { KeyId = key.KeyId, Region = key.Region }, default);
        var requested = await ctx.Services.GetRequiredService<ApprovalService>().RequestAsync(ActionsTestContext.Admin, plan, key.KeyId, default);
        Assert.True(requested.Done, requested.Message);

        var cut = ctx.RenderWithPopovers<ApprovalsPage>();

        var card = cut.WaitForElement($".approval-card[data-request='{requested.Request!.Id}']");
        Assert.Contains("ada", card.QuerySelector(".approval-requester")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("DisableKey", card.QuerySelector(".approval-calls")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".approval-withdraw"));
        Assert.True(cut.Find(".approval-approve").HasAttribute("disabled"));
        cut.Find($"#approve-typed-{requested.Request.Id:N}").Input(key.KeyId);
        cut.WaitForAssertion(() => Assert.False(cut.Find(".approval-approve").HasAttribute("disabled")));
    }
}
