namespace KmsDashboard.Web.Features.Inventory;

/// <summary>A Region's label on the map: where its text starts, its baseline, and which side of the dot it sits.</summary>
public sealed record RegionLabel(string Region, string Text, double X, double Y, bool LeftOfDot, bool Displaced = false)
{
    /// <summary>The box the text covers (map units), for overlap checks.</summary>
    public (double Left, double Top, double Right, double Bottom) Box(double charWidth, double height) =>
        LeftOfDot ? (X - Text.Length * charWidth, Y - height, X, Y + 2) : (X, Y - height, X + Text.Length * charWidth, Y + 2);
}

/// <summary>
/// Places Region labels so they do not overlap one another or another Region's dot: dense clusters (Europe, North-East
/// Asia) would otherwise print their names on top of each other. Greedy, west to east: each label takes the first free
/// spot of right-above, right-below, left-above, left-below, then rows further below or above, inside the visible map.
/// </summary>
public static class RegionLabelLayout
{
    public const double FontSize = 11, CharWidth = FontSize * 0.62, DotRadius = 6;

    /// <summary>The map's visible area (RegionWorldMap's viewBox "0 20 1000 400").</summary>
    public const double ViewLeft = 0, ViewTop = 20, ViewRight = 1000, ViewBottom = 420;

    public static IReadOnlyList<RegionLabel> Place(IEnumerable<(string Region, string Text, double X, double Y)> regions)
    {
        var items = regions.OrderBy(r => r.X).ThenBy(r => r.Y).ToList();
        var taken = items.Select(r => (r.X - DotRadius, r.Y - DotRadius, r.X + DotRadius, r.Y + DotRadius)).ToList();
        var placed = new List<RegionLabel>();
        foreach (var (region, text, x, y) in items)
        {
            var label = Candidates(region, text, x, y).FirstOrDefault(c => Inside(c.Box(CharWidth, FontSize)) && !taken.Any(t => Overlaps(c.Box(CharWidth, FontSize), t)))
                        ?? Candidates(region, text, x, y).First(c => Inside(c.Box(CharWidth, FontSize)));
            taken.Add(label.Box(CharWidth, FontSize));
            placed.Add(label);
        }
        return placed;
    }

    private static IEnumerable<RegionLabel> Candidates(string region, string text, double x, double y)
    {
        yield return new(region, text, x + 8, y - 6, false);
        yield return new(region, text, x + 8, y + 14, false);
        yield return new(region, text, x - 8, y - 6, true);
        yield return new(region, text, x - 8, y + 14, true);
        for (var row = 1; row <= 8; row++)
        {
            var step = row * (FontSize + 2);
            yield return new(region, text, x + 8, y + 14 + step, false, Displaced: true);
            yield return new(region, text, x - 8, y + 14 + step, true, Displaced: true);
            yield return new(region, text, x + 8, y - 6 - step, false, Displaced: true);
            yield return new(region, text, x - 8, y - 6 - step, true, Displaced: true);
        }
    }

    /// <summary>Within the part of the map the Overview shows (its SVG viewBox).</summary>
    private static bool Inside((double L, double T, double R, double B) box) =>
        box.L >= ViewLeft && box.R <= ViewRight && box.T >= ViewTop && box.B <= ViewBottom;

    private static bool Overlaps((double L, double T, double R, double B) a, (double L, double T, double R, double B) b) =>
        a.L < b.R && b.L < a.R && a.T < b.B && b.T < a.B;
}
