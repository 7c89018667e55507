using System.Globalization;
using System.Text;

namespace KmsDashboard.Core.Usage;

/// <summary>A stacked time series: the timeline and its series, largest first.</summary>
public sealed record UsageChart(string Title, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<UsageSeries> Series)
{
    public double Total => Series.Sum(s => s.Total);

    /// <summary>The series as CSV: a timestamp column (ISO 8601 UTC) and a column per series.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append("Timestamp");
        foreach (var s in Series) sb.Append(',').Append(Quote(s.Name));
        sb.Append("\r\n");
        for (var i = 0; i < Timestamps.Count; i++)
        {
            sb.Append(Timestamps[i].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            foreach (var s in Series) sb.Append(',').Append(s.Values[i].ToString(CultureInfo.InvariantCulture));
            sb.Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 || value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('-') || value.StartsWith('@')
            ? "\"" + (value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('-') || value.StartsWith('@') ? "'" : "") + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
