using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KmsDashboard.Core.Export;

/// <summary>
/// The one CSV writer of every export (audit, key map, usage; journal at merge): RFC 4180 quoting and, in every
/// cell (headers and echoed queries included), formula triggers defused — a cell starting with = + - @, a tab or a
/// carriage return (or their full-width forms) gets a leading apostrophe, so a spreadsheet shows it as text instead
/// of running it. Plain numbers (-12, 3.5) are left as numbers: a spreadsheet reads them as values, never formulas.
/// </summary>
public sealed partial class CsvExportWriter(TextWriter writer)
{
    /// <summary>RFC 4180's line break.</summary>
    public const string NewLine = "\r\n";

    /// <summary>Writes one record.</summary>
    public void WriteRow(IEnumerable<string?> cells) => writer.Write(Row(cells));

    /// <summary>Writes one record.</summary>
    public Task WriteRowAsync(IEnumerable<string?> cells, CancellationToken cancellationToken) =>
        writer.WriteAsync(Row(cells).AsMemory(), cancellationToken);

    /// <summary>One record with its line break.</summary>
    public static string Row(IEnumerable<string?> cells)
    {
        var sb = new StringBuilder();
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append(Cell(cell));
        }
        return sb.Append(NewLine).ToString();
    }

    /// <summary>One cell, defused and quoted as needed.</summary>
    public static string Cell(string? value)
    {
        value ??= "";
        if (StartsWithTrigger(value)) value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>A number in the invariant culture, as a cell.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>True when a spreadsheet would treat the cell as a formula (or, for tab and CR, could be led to).</summary>
    public static bool StartsWithTrigger(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '＝' or '＋' or '－' or '＠' && !PlainNumber().IsMatch(value);

    [GeneratedRegex(@"^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
