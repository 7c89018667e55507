using KmsDashboard.Core.Audit;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;

namespace KmsDashboard.Web.Features.Audit;

/// <summary>Turns the audit activity into Plotly traces: stacked bars per time bucket, one trace per event name or user.</summary>
public static class AuditActivityPlot
{
    public static IList<ITrace> Traces(AuditActivity chart) =>
        [.. chart.Series.Select(s => (ITrace)new Bar
        {
            Name = s.Name,
            // The middle of each bucket, so a bar sits over the hour it counts.
            X = [.. chart.Buckets.Select(t => (object)(t + chart.Bucket / 2).UtcDateTime)],
            Y = [.. s.Counts.Cast<object>()],
            HoverTemplate = "%{x|%Y-%m-%d %H:%M} · %{y:,} · " + s.Name.Replace("%", "%%", StringComparison.Ordinal) + "<extra></extra>",
        })];

    public static Plotly.Blazor.Layout Layout(AuditActivity chart, bool dark) => Components.ChartTheme.Apply(new()
    {
        BarMode = BarModeEnum.Stack,
        BarGap = 0.05m,
        Margin = new Margin { L = 56, R = 16, T = 8, B = 40 },
        // "closest": a click names the one bar under the pointer (a unified hover would report every stack at that x).
        HoverMode = HoverModeEnum.Closest,
        ShowLegend = true,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = $"events per {chart.BucketName}" }, RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero }],
    }, dark);

    public static Config Config() => new()
    {
        Responsive = true,
        DisplayLogo = false,
        ToImageButtonOptions = new { filename = "kms-audit-activity", format = "png" },
    };
}
