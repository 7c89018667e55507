using Plotly.Blazor.LayoutLib;

namespace KmsDashboard.Web.Components;

/// <summary>
/// Plotly colours that follow the dashboard's light or dark theme: text (tick labels, axis titles, legend), axis lines,
/// grid, hover label and mode bar. Plotly draws its own SVG, so MudBlazor's palette never reaches it; every chart's
/// layout goes through here.
/// </summary>
public static class ChartTheme
{
    /// <summary>The text colour of a chart in that theme (MudBlazor's primary text, as a colour Plotly understands).</summary>
    public static string Text(bool dark) => dark ? "rgba(255,255,255,0.80)" : "rgba(66,66,66,1)";

    /// <summary>The grid colour of a chart in that theme.</summary>
    public static string Grid(bool dark) => dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.10)";

    private static string Line(bool dark) => dark ? "rgba(255,255,255,0.30)" : "rgba(0,0,0,0.30)";

    /// <summary>Colours <paramref name="layout"/> for the theme (transparent backgrounds, so the card's surface shows) and returns it.</summary>
    public static Plotly.Blazor.Layout Apply(Plotly.Blazor.Layout layout, bool dark)
    {
        layout.Font = new Font { Color = Text(dark) };
        layout.PaperBgColor = "rgba(0,0,0,0)";
        layout.PlotBgColor = "rgba(0,0,0,0)";
        foreach (var x in layout.XAxis ?? [])
        {
            x.GridColor = Grid(dark);
            x.LineColor = Line(dark);
            x.ZeroLineColor = Grid(dark);
            x.TickColor = Line(dark);
        }
        foreach (var y in layout.YAxis ?? [])
        {
            y.GridColor = Grid(dark);
            y.LineColor = Line(dark);
            y.ZeroLineColor = Grid(dark);
            y.TickColor = Line(dark);
        }
        // A unified hover label is drawn on the paper colour, which is transparent here: give it the theme's surface.
        layout.HoverLabel = new HoverLabel
        {
            BgColor = dark ? "rgba(50,51,61,0.95)" : "rgba(255,255,255,0.95)",
            BorderColor = Line(dark),
            Font = new Plotly.Blazor.LayoutLib.HoverLabelLib.Font { Color = Text(dark) },
        };
        layout.ModeBar = new ModeBar { BgColor = "rgba(0,0,0,0)", Color = Line(dark), ActiveColor = Text(dark) };
        return layout;
    }
}
