using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.S3;
using KmsDashboard.Web.Features.Dependents;
using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Dependents;

public sealed class KeyDependentsTabTests
{
    private static KeyDetailContext Payments(KeyInventory inventory)
    {
        var set = inventory.KeySetWithAlias("alias/payments-prod");
        return new KeyDetailContext(set.KeyId, inventory.Current.FindById(set.KeyId), set, set.PrimaryRegion, inventory.Current);
    }

    [Fact]
    public async Task AViewerSeesTheBucketsAndEachRegionsGrantsButNotTheCloudTrailCallers()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDependentsAsync(DependentsTestContext.User("vera", DashboardRoles.Viewer));
        var s3 = ctx.Sandbox.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-east-1", "tab-ledger");
        s3.SetDefaultKmsEncryption("tab-ledger", "alias/payments-prod");

        var cut = ctx.RenderWithPopovers<KeyDependentsTab>(p => p.Add(x => x.Key, Payments(inventory)));

        cut.WaitForElement("#dependent-buckets tr[data-bucket='tab-ledger']");
        Assert.Contains("alias", cut.Find("#dependent-buckets tr[data-bucket='tab-ledger']").TextContent);
        Assert.Equal(2, cut.FindAll(".dependents-region[data-region='us-east-1'] .grants tbody tr").Count);
        Assert.Contains("payments-batch", cut.Find(".dependents-region[data-region='us-east-1'] .grants").TextContent);
        Assert.NotEmpty(cut.FindAll(".dependents-region[data-region='us-west-2'] .no-grants"));
        Assert.Equal(4, cut.FindAll(".dependents-region .callers-hidden").Count);
        Assert.Contains("2 grants", cut.Find("#blast-radius").TextContent);
        Assert.Contains("shown to Auditor and Admin", cut.Find("#blast-radius").TextContent);
    }

    [Fact]
    public async Task AnAuditorSeesCallersLinkedToTheirEventsOnTheAuditPage()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDependentsAsync(DependentsTestContext.User("audrey", DashboardRoles.Auditor));

        var cut = ctx.RenderWithPopovers<KeyDependentsTab>(p => p.Add(x => x.Key, Payments(inventory)));

        cut.WaitForElement(".dependents-region[data-region='us-east-1'] .callers tbody tr");
        var link = cut.Find(".dependents-region[data-region='us-east-1'] .callers .caller-evidence").GetAttribute("href")!;
        Assert.StartsWith("audit?", link, StringComparison.Ordinal);
        Assert.Contains("regions=us-east-1", link, StringComparison.Ordinal);
        Assert.Contains("filter=", link, StringComparison.Ordinal);
        Assert.Contains("filter=key", cut.Find(".dependents-region[data-region='us-east-1'] .key-events").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".callers-hidden"));
    }

    [Fact]
    public async Task ScanningABucketShowsItsObjectsPerKey()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDependentsAsync(DependentsTestContext.User("otto", DashboardRoles.Operator));
        var payments = Payments(inventory);
        var s3 = ctx.Sandbox.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-east-1", "tab-scan");
        s3.SetDefaultKmsEncryption("tab-scan", payments.Primary!.Arn);
        for (var i = 0; i < 30; i++) s3.PutObject("tab-scan", $"a/{i}", [1]);
        for (var i = 0; i < 5; i++) s3.PutObject("tab-scan", $"b/{i}", [1], "alias/terraform-state");

        var cut = ctx.RenderWithPopovers<KeyDependentsTab>(p => p.Add(x => x.Key, payments));
        cut.WaitForElement("#dependent-buckets tr[data-bucket='tab-scan'] [data-action='scan']").Click();

        cut.WaitForAssertion(() => Assert.Equal("30", cut.Find("tr[data-bucket='tab-scan'] .scan-counts tr.this-key .scan-count").TextContent.Trim()));
        cut.WaitForAssertion(() => Assert.Contains("35 objects", cut.Find("tr[data-bucket='tab-scan'] .scan-status").TextContent));
        Assert.Contains("terraform-state (us-east-1)", cut.Find("tr[data-bucket='tab-scan'] .scan-counts").TextContent);
    }
}
