using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using KmsDashboard.Core.Usage;
using KmsDashboard.Web.Features.Usage;
using Plotly.Blazor;

namespace KmsDashboard.Web.Tests.Features.Usage;

public sealed partial class UsageChartPanelTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static readonly UsageChart Chart = new("Requests by Region",
        [Start, Start.AddMinutes(5), Start.AddMinutes(10)],
        [new UsageSeries("us-east-1", [10, 20, 30]), new UsageSeries("eu-west-1", [1, 2, 3])]);

    private static Plotly.Blazor.Layout Rendered(bool dark)
    {
        using var ctx = new DashboardTestContext();
        var cut = ctx.Render<UsageChartPanel>(p => p
            .Add(x => x.Chart, Chart).Add(x => x.Id, "chart-regions")
            .AddCascadingValue("DarkMode", dark));
        return cut.FindComponent<PlotlyChart>().Instance.Layout;
    }

    [Fact]
    public void InTheDarkThemeTheAxesLabelsLegendAndGridAreLightOnTheDarkCard()
    {
        var layout = Rendered(dark: true);

        // Tick labels, axis titles and the legend take the layout's font colour.
        Assert.True(Luminance(layout.Font?.Color) > 0.6, $"text colour {layout.Font?.Color} is not light");
        Assert.All(layout.XAxis.Concat<object>(layout.YAxis), axis =>
        {
            var grid = axis is Plotly.Blazor.LayoutLib.XAxis x ? x.GridColor : ((Plotly.Blazor.LayoutLib.YAxis)axis).GridColor;
            Assert.True(Luminance(grid) > 0.6, $"grid colour {grid} is not light");
        });
        Assert.True(Luminance(layout.HoverLabel?.BgColor) < 0.4, "the hover label is not dark");
        Assert.Equal("rgba(0,0,0,0)", layout.PaperBgColor);
    }

    [Fact]
    public void InTheLightThemeTheTextIsDark()
    {
        var layout = Rendered(dark: false);

        Assert.True(Luminance(layout.Font?.Color) < 0.4, $"text colour {layout.Font?.Color} is not dark");
        Assert.True(Luminance(layout.HoverLabel?.BgColor) > 0.6, "the hover label is not light");
    }

    /// <summary>0 (black) to 1 (white) for "#rrggbb" or "rgb(a)(r,g,b[,a])"; a missing colour is Plotly's default dark text (0.27).</summary>
    private static double Luminance(object? value)
    {
        if (value?.ToString() is not { } color) return 0.27;
        if (color.StartsWith('#') && color.Length == 7)
            return Enumerable.Range(0, 3).Select(i => int.Parse(color.AsSpan(1 + 2 * i, 2), NumberStyles.HexNumber)).Average() / 255;
        var m = Rgb().Match(color);
        Assert.True(m.Success, $"unexpected colour {color}");
        return new[] { 1, 2, 3 }.Select(i => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture)).Average() / 255;
    }

    [GeneratedRegex(@"rgba?\(\s*([0-9.]+)\s*,\s*([0-9.]+)\s*,\s*([0-9.]+)")]
    private static partial Regex Rgb();
}
