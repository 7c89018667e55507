using KmsDashboard.Core.Export;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>The key map as CSV: one line per row shown, one column per Region.</summary>
public static class KeyMapCsv
{
    /// <param name="accounts">With several accounts, the snapshot whose account names fill an Account column; null for one account.</param>
    public static void Write(TextWriter writer, IEnumerable<KeyMapRow> rows, IReadOnlyList<string> regions, InventorySnapshot? accounts = null)
    {
        // The shared writer defuses cells starting with = + - @, tab or CR: a description or tag never runs as a formula.
        var csv = new CsvExportWriter(writer);
        var withAccount = accounts is { MultiAccount: true };
        csv.WriteRow((withAccount ? new[] { "Account", "AccountName" } : []).Concat(new[] { "Name", "KeyId", "Type", "PrimaryRegion", "Aliases", "Description", "State", "Rotation", "Drift" }).Concat(regions));
        foreach (var row in rows)
        {
            var key = row.Representative;
            csv.WriteRow((withAccount ? new[] { row.Account, accounts!.AccountName(row.Account) } : []).Concat(new[]
            {
                row.Name,
                row.KeyId,
                row.IsMultiRegion ? "multi-Region" : "single-Region",
                row.PrimaryRegion ?? key.Region,
                string.Join(' ', row.Cells.Values.SelectMany(c => c.Aliases).Distinct().Order(StringComparer.Ordinal)),
                key.Description,
                key.State,
                !key.Rotation.Applies ? "n/a" : key.Rotation.Enabled ? $"every {key.Rotation.PeriodInDays} days" : "off",
                string.Join("; ", row.Drift.Items.Select(i => $"{i.Region}: {i.Detail}")),
            }).Concat(regions.Select(region => row.Cells.TryGetValue(region, out var cell) ? CellText(cell) : "")));
        }
        writer.Flush();
    }

    public static string CellText(RegionalKey cell) => cell.Role switch
    {
        MultiRegionRole.Primary => $"primary {cell.State}",
        MultiRegionRole.Replica => $"replica {cell.State}",
        _ => cell.State,
    };
}
