using System.Globalization;
using CsvHelper;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>The key map as CSV: one line per row shown, one column per Region.</summary>
public static class KeyMapCsv
{
    public static void Write(TextWriter writer, IEnumerable<KeyMapRow> rows, IReadOnlyList<string> regions)
    {
        // Escape cells starting with = + - @ so a spreadsheet never runs a description or tag as a formula.
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, Injection = CsvInjection.Escape }, leaveOpen: true);
        foreach (var header in new[] { "Name", "KeyId", "Type", "PrimaryRegion", "Aliases", "Description", "State", "Rotation", "Drift" }.Concat(regions))
            csv.WriteField(header);
        csv.EndRecord();
        foreach (var row in rows)
        {
            var key = row.Representative;
            csv.WriteField(row.Name);
            csv.WriteField(row.KeyId);
            csv.WriteField(row.IsMultiRegion ? "multi-Region" : "single-Region");
            csv.WriteField(row.PrimaryRegion ?? key.Region);
            csv.WriteField(string.Join(' ', row.Cells.Values.SelectMany(c => c.Aliases).Distinct().Order(StringComparer.Ordinal)));
            csv.WriteField(key.Description);
            csv.WriteField(key.State);
            csv.WriteField(!key.Rotation.Applies ? "n/a" : key.Rotation.Enabled ? $"every {key.Rotation.PeriodInDays} days" : "off");
            csv.WriteField(string.Join("; ", row.Drift.Items.Select(i => $"{i.Region}: {i.Detail}")));
            foreach (var region in regions)
                csv.WriteField(row.Cells.TryGetValue(region, out var cell) ? CellText(cell) : "");
            csv.EndRecord();
        }
        csv.Flush();
    }

    public static string CellText(RegionalKey cell) => cell.Role switch
    {
        MultiRegionRole.Primary => $"primary {cell.State}",
        MultiRegionRole.Replica => $"replica {cell.State}",
        _ => cell.State,
    };
}
