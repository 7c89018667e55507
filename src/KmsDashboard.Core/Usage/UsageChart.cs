using System.Globalization;
using System.Text;
using KmsDashboard.Core.Export;

namespace KmsDashboard.Core.Usage;

/// <summary>A stacked time series: the timeline and its series, largest first.</summary>
public sealed record UsageChart(string Title, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<UsageSeries> Series)
{
    public double Total => Series.Sum(s => s.Total);

    /// <summary>The series as CSV (the shared <see cref="CsvExportWriter"/>): a timestamp column (ISO 8601 UTC) and a column per series.</summary>
    public string ToCsv()
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = new CsvExportWriter(text);
        csv.WriteRow(Series.Select(s => s.Name).Prepend("Timestamp"));
        for (var i = 0; i < Timestamps.Count; i++)
            csv.WriteRow(Series.Select(s => CsvExportWriter.Number(s.Values[i])).Prepend(Timestamps[i].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        return text.ToString();
    }
}
