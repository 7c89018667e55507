using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.S3;
using KmsDashboard.Web.Features.Dependents;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Dependents;

public sealed class DependentsOverviewPanelTests
{
    [Fact]
    public async Task AKeyPendingDeletionThatABucketStillNamesIsAnAlarmAndEachKeySetsDependentsAreCounted()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDependentsAsync(DependentsTestContext.User("vera", DashboardRoles.Viewer));
        var s3 = ctx.Sandbox.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-west-2", "quarterly-archive");
        s3.SetDefaultKmsEncryption("quarterly-archive", "alias/old-reports");
        var payments = inventory.KeySetWithAlias("alias/payments-prod");

        var cut = ctx.RenderWithPopovers<DependentsOverviewPanel>();

        cut.WaitForElement("#pending-deletion-in-use li");
        var alarm = Assert.Single(cut.FindAll("#pending-deletion-in-use li"));
        Assert.Contains("old-reports", alarm.TextContent);
        Assert.Contains("quarterly-archive", alarm.TextContent);
        Assert.Equal("us-west-2", alarm.GetAttribute("data-region"));
        var row = cut.Find($"#dependents-counts tr[data-key='{payments.KeyId}']");
        Assert.Equal("2", row.QuerySelectorAll("td")[3].TextContent.Trim());
    }
}
