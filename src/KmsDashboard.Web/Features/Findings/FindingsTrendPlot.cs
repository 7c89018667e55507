using KmsDashboard.Core.Findings;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace KmsDashboard.Web.Features.Findings;

/// <summary>The findings trend for Plotly: open findings by severity (stacked) and the estate score on a second axis.</summary>
public static class FindingsTrendPlot
{
    private static readonly (FindingSeverity Severity, string Color, Func<EvaluationRecord, int> Count)[] Series =
    [
        (FindingSeverity.Critical, "#b71c1c", e => e.Critical),
        (FindingSeverity.High, "#e65100", e => e.High),
        (FindingSeverity.Medium, "#f9a825", e => e.Medium),
        (FindingSeverity.Low, "#1565c0", e => e.Low),
    ];

    public static IList<ITrace> Traces(IReadOnlyList<EvaluationRecord> trend)
    {
        var x = trend.Select(e => (object)DateTime.SpecifyKind(e.At, DateTimeKind.Utc)).ToList();
        var traces = Series.Select(s => (ITrace)new Scatter
        {
            Name = s.Severity.ToString(),
            X = x,
            Y = [.. trend.Select(e => (object)s.Count(e))],
            StackGroup = "findings",
            Mode = ModeFlag.Lines,
            Line = new Line { Width = 1, Color = s.Color },
            HoverTemplate = "%{y} " + s.Severity + "<extra></extra>",
        }).ToList();
        traces.Add(new Scatter
        {
            Name = "Estate score",
            X = x,
            Y = [.. trend.Select(e => (object)e.EstateScore)],
            YAxis = "y2",
            Mode = ModeFlag.Lines | ModeFlag.Markers,
            Line = new Line { Width = 2, Color = "#2e7d32" },
            HoverTemplate = "score %{y:.1f}<extra></extra>",
        });
        return traces;
    }

    /// <summary>The trend's layout, coloured for the light or dark theme.</summary>
    public static Plotly.Blazor.Layout Layout(bool dark) => Components.ChartTheme.Apply(new()
    {
        Margin = new Margin { L = 48, R = 48, T = 8, B = 40 },
        HoverMode = HoverModeEnum.XUnified,
        ShowLegend = true,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }],
        XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date }],
        YAxis =
        [
            new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "open findings" }, RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero },
            new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "score" }, Overlaying = "y", Side = Plotly.Blazor.LayoutLib.YAxisLib.SideEnum.Right,
                Range = [0, 100],
            },
        ],
    }, dark);

    public static Config Config() => new()
    {
        Responsive = true,
        DisplayLogo = false,
        ToImageButtonOptions = new { filename = "kms-findings-trend", format = "png" },
    };
}
