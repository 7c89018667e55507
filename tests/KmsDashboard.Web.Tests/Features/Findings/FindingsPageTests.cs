using System.Security.Claims;
using Bunit;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Security;
using KmsDashboard.Web.Features.Findings;
using KmsDashboard.Web.Tests.Features.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace KmsDashboard.Web.Tests.Features.Findings;

/// <summary>The findings page over the demo account, evaluated by the real service (CloudTrail reads off to keep it quick).</summary>
public sealed class FindingsPageTests
{
    private static ClaimsPrincipal User(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], "Test", ClaimTypes.Name, ClaimTypes.Role));

    private static async Task<FindingsService> UseFindingsAsync(DashboardTestContext ctx, ClaimsPrincipal user)
    {
        var data = Directory.CreateTempSubdirectory("kmsdashboard-bunit-findings-").FullName;
        await ctx.UseDemoInventoryAsync(services =>
        {
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = data,
                ["Findings:CloudTrailPagesPerRegion"] = "0",
            }).Build());
            services.AddKeyActions(data);
            services.AddDependents();
            services.AddFindings(data);
            ctx.UseSignedInUser(user);
        });
        var findings = ctx.Services.GetRequiredService<FindingsService>();
        await findings.EvaluateAsync(CancellationToken.None);
        return findings;
    }

    [Fact]
    public async Task TheCriticalPendingDeletionStillUsedShowsItsEvidenceAndOffersTheGuardedCancelDeletion()
    {
        await using var ctx = new DashboardTestContext();
        await UseFindingsAsync(ctx, User("olivia", DashboardRoles.Operator));

        var cut = ctx.RenderWithPopovers<FindingsPage>();

        var row = cut.Find($"tr.finding-row[data-check='{FindingChecks.PendingDeletionInUse.Id}'][data-region='us-west-2']");
        Assert.Equal("Critical", row.GetAttribute("data-severity"));
        Assert.Equal("open", row.GetAttribute("data-status"));
        row.Click();
        Assert.Contains("old-quarterly-reports", cut.Find("#finding-evidence").TextContent);
        Assert.Equal(nameof(KeyAction.CancelDeletion), cut.Find("#fix-action").GetAttribute("data-action"));
        Assert.NotNull(cut.Find("#suppress"));
        Assert.Contains(int.Parse(cut.Find("#severity-counts [data-severity='Critical']").TextContent.Split(':')[1].Trim()), new[] { 2, 3, 4, 5 });
        Assert.Contains(cut.FindAll("#not-evaluated li"), li => li.GetAttribute("data-check") == FindingChecks.DrillOverdue.Id);
    }

    [Fact]
    public async Task FiltersAndGroupingComeFromTheUrlAndAViewerGetsNoFixSuppressOrExport()
    {
        await using var ctx = new DashboardTestContext();
        await UseFindingsAsync(ctx, User("vera", DashboardRoles.Viewer));
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("findings?check=10&group=key");

        var cut = ctx.RenderWithPopovers<FindingsPage>();

        var rows = cut.FindAll("tr.finding-row");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("KD10-", r.GetAttribute("data-check")));
        Assert.All(cut.FindAll(".finding-group"), g =>
            Assert.All(g.QuerySelectorAll("tr.finding-row"), r => Assert.Equal(g.GetAttribute("data-group"), r.GetAttribute("data-key-id"))));
        Assert.NotEmpty(cut.FindAll(".key-score"));
        rows[0].Click();
        Assert.Empty(cut.FindAll("#suppress"));
        Assert.Empty(cut.FindAll("#fix-action"));
        Assert.Empty(cut.FindAll("#export-menu"));
    }
}
