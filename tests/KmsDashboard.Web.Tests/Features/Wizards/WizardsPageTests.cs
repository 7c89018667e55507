using KmsDashboard.Web.Features.Wizards;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Wizards;

/// <summary>The /wizards landing page: every card, links to the pages this build has, the chosen key handed on.</summary>
public sealed class WizardsPageTests
{
    [Fact]
    public async Task ListsEveryWizardAndLinksTheRotationWizardsWithTheChosenKey()
    {
        await using var ctx = new DashboardTestContext();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("wizards?key=mrk-0123456789abcdef0123456789abcdef");

        var page = ctx.Render<WizardsPage>();

        var cards = page.FindAll(".wizard-card").Select(c => c.GetAttribute("data-wizard")).ToList();
        Assert.Equal(["new-key-set", "automatic-rotation", "on-demand-rotation", "manual-rotation", "retire", "runbooks"], cards);
        var onDemand = page.Find(".wizard-card[data-wizard='on-demand-rotation'] a");
        Assert.Equal("wizards/on-demand-rotation?key=mrk-0123456789abcdef0123456789abcdef", onDemand.GetAttribute("href"));
        Assert.Equal("true", page.Find(".wizard-card[data-wizard='automatic-rotation']").GetAttribute("data-available"));
        // A card whose page is not in this build says so instead of linking to nothing.
        foreach (var card in WizardCatalog.All.Where(c => !WizardCatalog.IsAvailable(c)))
            Assert.Empty(page.FindAll($".wizard-card[data-wizard='{card.Id}'] a"));
    }
}
