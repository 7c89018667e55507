using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.S3;
using KmsDashboard.Web.Features.Dependents;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Dependents;

public sealed class DependentsOverviewPanelTests
{
    [Fact]
    public async Task KeysPendingDeletionThatBucketsStillNameAreAlarmsAndEachKeySetsDependentsAreCounted()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDependentsAsync(DependentsTestContext.User("vera", DashboardRoles.Viewer));
        var s3 = ctx.Sandbox.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-west-2", "quarterly-archive");
        s3.SetDefaultKmsEncryption("quarterly-archive", "alias/old-reports");
        var payments = inventory.KeySetWithAlias("alias/payments-prod");

        var cut = ctx.RenderWithPopovers<DependentsOverviewPanel>();

        cut.WaitForElement("#pending-deletion-in-use li");
        // The demo's own: legacy-billing (us-east-1) and old-reports (us-west-2), both still named by bucket defaults.
        var alarms = cut.FindAll("#pending-deletion-in-use li");
        Assert.Equal(["us-east-1", "us-west-2"], alarms.Select(a => a.GetAttribute("data-region")).Order());
        var oldReports = alarms.Single(a => a.GetAttribute("data-region") == "us-west-2").TextContent;
        Assert.Contains("old-reports", oldReports);
        Assert.Contains("quarterly-archive", oldReports);
        Assert.Contains("old-quarterly-reports", oldReports);
        Assert.Contains("legacy-billing-exports", alarms.Single(a => a.GetAttribute("data-region") == "us-east-1").TextContent);
        // payments-prod: myapp-primary and myapp-replica name it, one replication rule, two grants.
        var cells = cut.Find($"#dependents-counts tr[data-key='{payments.KeyId}']").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["2", "1", "2"], cells[1..4]);
    }
}
