using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using KmsDashboard.Core.Inventory;
using Microsoft.AspNetCore.Components;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>
/// The key map's row contents as HTML, built once per row (rows are per snapshot) and shared by every circuit: a
/// circuit's render tree then holds one markup frame per row part instead of some 130 frames and their strings, so an
/// open key map costs the server almost nothing per visible row. Every value from AWS (names, key ids, descriptions,
/// drift details, read errors) goes through <see cref="Encoder"/>. One method per column: a new column is a method
/// here and a header cell in <c>KeyMatrix.razor</c>.
/// </summary>
public static class KeyMapMarkup
{
    /// <summary>Encodes &lt;, &gt;, &amp;, quotes and control characters; leaves other languages' letters readable.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>A matrix row's first cell: the key's name and id.</summary>
    public static MarkupString MatrixKey(KeyMapRow row)
    {
        var html = new StringBuilder(256);
        KeyColumn(html, row);
        return new MarkupString(html.ToString());
    }

    /// <summary>A matrix row's Region cells, one per Region (<paramref name="regions"/> order).</summary>
    public static MarkupString MatrixCells(KeyMapRow row, IReadOnlyList<string> regions)
    {
        var html = new StringBuilder(320 * regions.Count);
        foreach (var region in regions) RegionColumn(html, row, region);
        return new MarkupString(html.ToString());
    }

    /// <summary>A matrix row's last cell: what drifted from the primary.</summary>
    public static MarkupString MatrixDrift(KeyMapRow row)
    {
        var html = new StringBuilder("<td class=\"drift-col\">");
        if (row.Drift.HasDrift) html.Append("<span class=\"drift-summary\">").Append(Encode(string.Join(", ", row.Drift.Properties))).Append("</span>");
        return new MarkupString(html.Append("</td>").ToString());
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, MarkupString> DependentsCells = new();

    /// <summary>
    /// A matrix row's S3 dependents cell for a count (bucket defaults and replication rules naming the key), one string per
    /// count shared by every circuit and row: as elements it was five frames per row in each circuit's render tree.
    /// </summary>
    public static MarkupString DependentsCell(int count) =>
        count is >= 0 and < 1024 ? DependentsCells.GetOrAdd(count, BuildDependentsCell) : BuildDependentsCell(count);

    private static MarkupString BuildDependentsCell(int count)
    {
        var n = count.ToString(CultureInfo.InvariantCulture);
        return new MarkupString($"<td class=\"dependents-col\" data-dependents=\"{n}\" title=\"{n} S3 bucket default(s) and replication rule(s) name this key\">{(count > 0 ? n : "")}</td>");
    }

    /// <summary>A phone card's contents: name, key id and the Regions the key is in.</summary>
    public static MarkupString Card(KeyMapRow row, IReadOnlyList<string> regions)
    {
        var html = new StringBuilder(256 + 240 * row.Cells.Count);
        KeyName(html, row);
        html.Append("<div class=\"key-card-regions\">");
        foreach (var region in regions)
        {
            if (!row.Cells.TryGetValue(region, out var cell)) continue;
            var drifted = row.Drift.Differs(region);
            html.Append("<a href=\"").Append(Encode(row.DetailHref(region))).Append("\" class=\"").Append(CellClass(cell, drifted))
                .Append("\" data-region=\"").Append(Encode(region)).Append("\" title=\"").Append(Encode(CellTitle(row, cell, drifted))).Append("\">")
                .Append("<span class=\"role\">").Append(Encode(region)).Append("</span>")
                .Append("<span class=\"state\">").Append(RoleLabel(cell.Role)).Append(" · ").Append(Encode(StateLabel(cell))).Append("</span>");
            if (drifted) html.Append("<span class=\"mark drift-mark\">≠</span>");
            html.Append("</a>");
        }
        return new MarkupString(html.Append("</div>").ToString());
    }

    private static void KeyColumn(StringBuilder html, KeyMapRow row)
    {
        html.Append("<td class=\"key-col\">");
        KeyName(html, row);
        html.Append("</td>");
    }

    private static void KeyName(StringBuilder html, KeyMapRow row) =>
        html.Append("<a href=\"").Append(Encode(row.DetailHref())).Append("\" class=\"key-name\">").Append(Encode(row.Name)).Append("</a>")
            .Append("<div class=\"key-id\">").Append(row.IsMultiRegion ? "multi-Region · " : "").Append(Encode(row.KeyId)).Append("</div>");

    private static void RegionColumn(StringBuilder html, KeyMapRow row, string region)
    {
        if (!row.Cells.TryGetValue(region, out var cell))
        {
            html.Append("<td class=\"cell none\" data-region=\"").Append(Encode(region)).Append("\" data-role=\"none\"></td>");
            return;
        }
        var drifted = row.Drift.Differs(region);
        html.Append("<td class=\"").Append(CellClass(cell, drifted)).Append("\" data-region=\"").Append(Encode(region))
            .Append("\" data-role=\"").Append(cell.Role.ToString()).Append("\" data-state=\"").Append(Encode(cell.State))
            .Append("\" title=\"").Append(Encode(CellTitle(row, cell, drifted))).Append("\">")
            .Append("<a href=\"").Append(Encode(row.DetailHref(region))).Append("\">")
            .Append("<span class=\"role\">").Append(RoleLabel(cell.Role)).Append("</span>")
            .Append("<span class=\"state\">").Append(Encode(StateLabel(cell))).Append("</span>");
        if (cell.ReadError is not null && cell.MetadataRead)
            html.Append("<span class=\"mark unreadable-mark\" title=\"").Append(Encode($"not readable: {cell.ReadError}")).Append("\">⊘</span>");
        if (cell.Rotation.Applies && cell.Rotation.Enabled)
            html.Append("<span class=\"mark rotation\" title=\"Automatic rotation every ")
                .Append(cell.Rotation.PeriodInDays?.ToString(CultureInfo.InvariantCulture)).Append(" days\">⟳</span>");
        if (drifted) html.Append("<span class=\"mark drift-mark\" title=\"Differs from the primary\">≠</span>");
        html.Append("</a></td>");
    }

    private static string Encode(string value) => Encoder.Encode(value);

    public static string RoleLabel(MultiRegionRole role) => role switch
    {
        MultiRegionRole.Primary => "Primary",
        MultiRegionRole.Replica => "Replica",
        _ => "Key",
    };

    /// <summary>The cell's classes: role, state, drift and unreadable (CSS colours them); the state is encoded.</summary>
    private static string CellClass(RegionalKey cell, bool drifted) =>
        $"cell {(cell.Role == MultiRegionRole.None ? "single" : cell.Role.ToString().ToLowerInvariant())} state-{Encode(cell.State.ToLowerInvariant())}{(drifted ? " drift" : "")}{(cell.ReadError is null ? "" : " unreadable")}";

    /// <summary>The state, or "not readable" when DescribeKey was refused and the state is not known.</summary>
    private static string StateLabel(RegionalKey cell) => cell.MetadataRead ? KeyStateText.Label(cell.State) : "not readable";

    private static string CellTitle(KeyMapRow row, RegionalKey cell, bool drifted)
    {
        var title = $"{RoleLabel(cell.Role)} in {cell.Region}: {cell.State}";
        if (cell.ReadError is not null) title += $"\nnot readable: {cell.ReadError}";
        if (drifted) title += "\n" + string.Join("\n", row.Drift.Items.Where(i => i.Region == cell.Region).Select(i => i.Detail));
        return title;
    }
}
