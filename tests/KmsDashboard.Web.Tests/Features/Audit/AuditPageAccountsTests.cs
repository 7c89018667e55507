using System.Globalization;
using System.Security.Claims;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Web.Features.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Web.Tests.Features.Audit;

/// <summary>
/// The Audit page over the sandbox's two demo accounts and one whose role cannot be assumed (the account shown failing,
/// with since when, while the others' events load), and over the single demo account (no account column, no select).
/// </summary>
public sealed class AuditPageAccountsTests
{
    private const string Gone = "777788889999";

    private static readonly ClaimsPrincipal Auditor =
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "audrey"), new Claim(ClaimTypes.Role, DashboardRoles.Auditor)], "test"));

    private static AccountOptions Account(string id, string name, params string[] regions) =>
        new() { Id = id, Name = name, RoleName = "KmsDashboard", ExternalId = "kmsdash-demo", Regions = regions };

    private static async Task UseAuditAsync(DashboardTestContext ctx, bool multiAccount)
    {
        var sandbox = await ctx.UseSandboxAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        if (multiAccount)
            ctx.Services.AddSingleton(Options.Create(new BackendOptions
            {
                Mode = BackendMode.Sandbox,
                Regions = DashboardTestContext.DemoRegions,
                ServiceUrl = sandbox.Url.ToString(),
                Accounts = [Account("111122223333", "demo-security"), Account("444455556666", "demo-payments", "us-east-1", "eu-west-1", "ap-southeast-1"), Account(Gone, "demo-gone")],
            }));
        ctx.Services.AddSingleton(Options.Create(new InventoryOptions { ReadLastUse = false }));
        ctx.Services.AddSingleton<AwsAccounts>();
        ctx.Services.AddSingleton<KeyInventory>();
        ctx.UseSignedInUser(Auditor);
        ctx.Services.AddDashboardAudit();
        ctx.Services.AddSingleton<AuditExportTracker>();
        await ctx.Services.GetRequiredService<KeyInventory>().RefreshAsync(CancellationToken.None);
        ctx.Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var now = DateTime.UtcNow;
        string Time(DateTime t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo($"/audit?from={Time(now.AddMinutes(-30))}&to={Time(now)}");
    }

    [Fact]
    public async Task AnAccountWhoseRoleCannotBeAssumedIsShownFailingWithSinceWhenWhileTheOthersEventsLoad()
    {
        await using var ctx = new DashboardTestContext();
        await UseAuditAsync(ctx, multiAccount: true);

        var cut = ctx.RenderWithPopovers<AuditPage>();

        var failure = cut.WaitForElement($".audit-account-failure[data-account='{Gone}']", TimeSpan.FromSeconds(60));
        Assert.Contains("Account demo-gone (777788889999) is not readable", failure.TextContent);
        Assert.Contains("failing since", failure.TextContent);
        Assert.Contains("Could not assume arn:aws:iam::777788889999:role/KmsDashboard", failure.TextContent);
        Assert.Contains("6 Regions are left out", failure.TextContent);
        // Its Regions are not repeated as chips; the two readable accounts' nine account-Regions are.
        Assert.Empty(cut.FindAll($".audit-outcome[data-account='{Gone}']"));
        Assert.Equal(9, cut.FindAll(".audit-outcome").Count);
        Assert.Contains("of 2 accounts", cut.Find("#audit-count").TextContent);
        Assert.Contains(cut.FindAll("#audit-grid th"), th => th.TextContent.Trim() == "Account");
        Assert.Equal(["", "111122223333", "444455556666", Gone], cut.FindAll("select#audit-account option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task WithOneAccountThereIsNoAccountColumnSelectOrFailure()
    {
        await using var ctx = new DashboardTestContext();
        await UseAuditAsync(ctx, multiAccount: false);

        var cut = ctx.RenderWithPopovers<AuditPage>();

        cut.WaitForElement("#audit-count", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(" of ", cut.Find("#audit-count").TextContent);
        Assert.Empty(cut.FindAll("select#audit-account"));
        Assert.Empty(cut.FindAll(".audit-account-failure"));
        Assert.DoesNotContain(cut.FindAll("#audit-grid th"), th => th.TextContent.Trim() == "Account");
        Assert.All(cut.FindAll(".audit-outcome"), chip => Assert.DoesNotContain("demo-", chip.TextContent));
    }
}
