using System.Text;

namespace KmsDashboard.Core.Journal;

/// <summary>The journal export's CSV cells (RFC 4180 quoting), kept in one place so a shared writer can take its place.</summary>
internal static class JournalCsv
{
    public static string Cell(string? value)
    {
        value ??= "";
        return value.AsSpan().IndexOfAny("\",\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Row(IEnumerable<string?> cells)
    {
        var row = new StringBuilder();
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) row.Append(',');
            row.Append(Cell(cell));
            first = false;
        }
        return row.Append("\r\n").ToString();
    }
}
