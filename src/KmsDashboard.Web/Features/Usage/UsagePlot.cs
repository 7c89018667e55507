using KmsDashboard.Core.Usage;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace KmsDashboard.Web.Features.Usage;

/// <summary>Turns a usage chart into Plotly traces: stacked areas, hover per period, zoom on the time axis.</summary>
public static class UsagePlot
{
    public static IList<ITrace> Traces(UsageChart chart) =>
        [.. chart.Series.Select(s => (ITrace)new Scatter
        {
            Name = s.Name,
            X = [.. chart.Timestamps.Select(t => (object)t.UtcDateTime)],
            Y = [.. s.Values.Cast<object>()],
            StackGroup = "usage",
            Mode = ModeFlag.Lines,
            Line = new Line { Width = 1 },
            HoverTemplate = "%{y:,.0f} · " + s.Name.Replace("%", "%%", StringComparison.Ordinal) + "<extra></extra>",
        })];

    /// <summary>The chart's layout, coloured for the light or dark theme.</summary>
    public static Plotly.Blazor.Layout Layout(UsageChart chart, bool dark) => Components.ChartTheme.Apply(new()
    {
        Margin = new Margin { L = 56, R = 16, T = 8, B = 40 },
        HoverMode = HoverModeEnum.XUnified,
        ShowLegend = true,
        // Above the plot: below it, its place was a fraction of the plot's height under the time axis, and on a phone a
        // long legend's rows landed on the dates. Above, the figure's top margin grows to hold it.
        Legend = [new Legend
        {
            Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
            X = 0m, XAnchor = Plotly.Blazor.LayoutLib.LegendLib.XAnchorEnum.Left,
            Y = 1.02m, YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom,
        }],
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "requests" }, RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero }],
    }, dark);

    public static Config Config(string fileName) => new()
    {
        Responsive = true,
        DisplayLogo = false,
        ToImageButtonOptions = new { filename = fileName, format = "png" },
    };
}
