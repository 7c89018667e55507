using System.Globalization;
using System.Text.RegularExpressions;

namespace KmsDashboard.Bench.Circuits.Light;

/// <summary>
/// Virtualize's scroll box without a browser: Virtualize.ts's IntersectionObserver (root: the scroll box, 50 px root
/// margin) and its MutationObservers (a spacer whose attributes change is observed again), over a fixed layout: the
/// key map's box at a 900-pixel-high window (<c>calc(100vh - 300px)</c> = 600 px), a 45-pixel header, 44-pixel rows
/// (the key map's <c>ItemSize</c>; in Chromium rows measure what their content makes them, and Virtualize adapts to
/// what it is told). The spacers' heights are read from the styles the server rendered.
/// </summary>
internal sealed partial class VirtualizeViewport(long dotNetObjectId, string beforeCaptureId, string afterCaptureId)
{
    public const double BoxHeight = 600, HeaderHeight = 45, RowHeight = 44, RootMargin = 50;
    private readonly (bool Intersecting, int Version)?[] _seen = new (bool, int)?[2];

    public long DotNetObjectId { get; } = dotNetObjectId;
    public double ScrollTop { get; set; }

    /// <summary>What the observers would report now: a callback for each spacer that became visible or, visible, changed.</summary>
    public void Observe(LightCircuit circuit)
    {
        var (before, after) = circuit.Read(d => (d.ByCaptureId(beforeCaptureId), d.ByCaptureId(afterCaptureId)));
        if (before?.Parent is not { } body || after?.Parent != body) return;
        var from = body.Children.IndexOf(before);
        var to = body.Children.IndexOf(after);
        var rows = body.Children.Skip(from + 1).Take(to - from - 1).Count(n => n.Kind == LightNodeKind.Element);
        double beforeHeight = Height(before), separation = rows * RowHeight, afterHeight = Height(after);
        var total = HeaderHeight + beforeHeight + separation + afterHeight;
        ScrollTop = Math.Clamp(ScrollTop, 0, Math.Max(0, total - BoxHeight));
        double rootTop = ScrollTop - RootMargin, rootBottom = ScrollTop + BoxHeight + RootMargin, container = BoxHeight + 2 * RootMargin;
        double beforeTop = HeaderHeight, beforeBottom = beforeTop + beforeHeight;
        double afterTop = beforeBottom + separation, afterBottom = afterTop + afterHeight;

        if (Debug) Console.Error.WriteLine($"viewport: scroll {ScrollTop} before {beforeHeight} rows {rows} after {afterHeight} v{before.AttributeVersion}/{after.AttributeVersion}");
        if (Changed(0, before, beforeTop <= rootBottom && beforeBottom >= rootTop) is true)
        {
            if (Debug) Console.Error.WriteLine($"viewport: OnSpacerBeforeVisible {Args(Math.Max(rootTop, beforeTop) - beforeTop, separation, container)}");
            circuit.InvokeDotNet("OnSpacerBeforeVisible", DotNetObjectId, Args(Math.Max(rootTop, beforeTop) - beforeTop, separation, container));
        }
        if (Changed(1, after, afterTop <= rootBottom && afterBottom >= rootTop) is true && afterHeight > 0)
        {
            if (Debug) Console.Error.WriteLine($"viewport: OnSpacerAfterVisible {Args(afterBottom - Math.Min(afterBottom, rootBottom), separation, container)}");
            circuit.InvokeDotNet("OnSpacerAfterVisible", DotNetObjectId, Args(afterBottom - Math.Min(afterBottom, rootBottom), separation, container));
        }
    }

    /// <summary>Whether the observer reports this spacer now (null: nothing new), and then whether it intersects.</summary>
    private bool? Changed(int spacer, LightNode node, bool intersecting)
    {
        var now = (intersecting, node.AttributeVersion);
        if (_seen[spacer] == now) return null;
        _seen[spacer] = now;
        return intersecting;
    }

    private static double Height(LightNode spacer) =>
        SpacerHeight().Match(spacer.Attribute("style") ?? "") is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    private static readonly bool Debug = Environment.GetEnvironmentVariable("BENCH_LIGHT_DEBUG") is not null;

    private static string Args(double spacerSize, double separation, double container) =>
        string.Create(CultureInfo.InvariantCulture, $"[{spacerSize},{separation},{container}]");

    [GeneratedRegex(@"height:\s*([0-9.]+)px")]
    private static partial Regex SpacerHeight();
}
