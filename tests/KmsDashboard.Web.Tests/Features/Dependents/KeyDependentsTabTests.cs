using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.S3;
using KmsDashboard.Web.Features.Dependents;
using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    [Fact]
    public async Task WithSeveralAccountsEveryAuditLinkOpensTheKeysOwnAccount()
    {
        const string Payments = "444455556666";
        await using var ctx = new DashboardTestContext();
        var sandbox = await ctx.UseSandboxAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        ctx.Services.AddSingleton(Options.Create(new BackendOptions
        {
            Mode = BackendMode.Sandbox,
            Regions = DashboardTestContext.DemoRegions,
            ServiceUrl = sandbox.Url.ToString(),
            Accounts =
            [
                new() { Id = "111122223333", Name = "demo-security", RoleName = "KmsDashboard", ExternalId = "kmsdash-demo" },
                new() { Id = Payments, Name = "demo-payments", RoleName = "KmsDashboard", ExternalId = "kmsdash-demo", Regions = ["us-east-1", "eu-west-1", "ap-southeast-1"] },
            ],
        }));
        ctx.Services.AddSingleton(Options.Create(new InventoryOptions { ReadLastUse = false }));
        ctx.Services.AddSingleton<AwsAccounts>();
        ctx.Services.AddSingleton<KeyInventory>();
        ctx.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Directory.CreateTempSubdirectory("kmsdashboard-bunit-dependents-").FullName,
            ["Dependents:MaxCloudTrailPagesPerRegion"] = "2",
        }).Build());
        ctx.Services.AddDependents();
        ctx.UseSignedInUser(DependentsTestContext.User("audrey", DashboardRoles.Auditor));
        var inventory = ctx.Services.GetRequiredService<KeyInventory>();
        await inventory.RefreshAsync(CancellationToken.None);
        ctx.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var vault = inventory.Current.KeySets.Single(s => s.Representative.Account == Payments && s.Representative.Aliases.Contains("alias/card-vault"));
        var key = new KeyDetailContext(vault.KeyId, inventory.Current.FindById(vault.KeyId, Payments), vault, vault.PrimaryRegion, inventory.Current);

        var cut = ctx.RenderWithPopovers<KeyDependentsTab>(p => p.Add(x => x.Key, key));

        cut.WaitForElement(".dependents-region .key-events", TimeSpan.FromSeconds(60));
        var links = cut.FindAll(".dependents-region .key-events, .dependents-region .caller-evidence").Select(a => a.GetAttribute("href")!).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("http://dashboard/"), link).Query);
            var query = AuditQuery.FromParameters(name => parameters.TryGetValue(name, out var v) ? v.ToString() : null, default, default, []);
            Assert.Equal(Payments, query.Account);
        }
    }
}
