using KmsDashboard.Web.Features.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Web.Tests.Features.Inventory;

public sealed class SelectOptionsTests
{
    [Fact]
    public void OptionsAreEncodedTheChosenOneMarkedAndSharedPerOwnerAndChoice()
    {
        var owner = new object();
        IEnumerable<(string, string)> Options() => [("", "Any"), ("a\"><img src=x onerror=alert(1)>", "<b>evil</b>"), ("b", "B")];

        var none = SelectOptions.Markup(owner, "list", Options, "");
        var b = SelectOptions.Markup(owner, "list", Options, "b");

        Assert.Equal("<option value=\"\" selected>Any</option>", none.Value[..none.Value.IndexOf("</option>", StringComparison.Ordinal)] + "</option>");
        Assert.DoesNotContain("<img", none.Value);
        Assert.DoesNotContain("<b>", none.Value);
        Assert.Contains("<option value=\"b\" selected>B</option>", b.Value);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(b.Value, " selected"));
        Assert.Same(b.Value, SelectOptions.Markup(owner, "list", () => throw new InvalidOperationException("cached"), "b").Value);
        Assert.NotSame(b.Value, SelectOptions.Markup(new object(), "list", Options, "b").Value);
    }

    [Fact]
    public async Task TheKeyMapsSelectsShowTheFilterFromTheUrl()
    {
        await using var ctx = new DashboardTestContext();
        await ctx.UseDemoInventoryAsync();
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("keys?region=eu-west-1&sort=Drift");

        var cut = ctx.RenderInCircuit<KeyMapView>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("tr.key-row")));
        Assert.Equal(["eu-west-1"], cut.FindAll("#filter-region option[selected]").Select(o => o.GetAttribute("value")));
        Assert.Equal(["Drift"], cut.FindAll("#sort option[selected]").Select(o => o.GetAttribute("value")));
        Assert.Equal(["Any"], cut.FindAll("#filter-rotation option[selected]").Select(o => o.GetAttribute("value")));
        Assert.Contains(cut.FindAll("#filter-state option"), o => o.GetAttribute("value") == "Enabled" && o.TextContent == "Enabled");
    }
}
