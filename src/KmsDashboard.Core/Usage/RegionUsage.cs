namespace KmsDashboard.Core.Usage;

/// <summary>One Region's usage over a range, or why it could not be read; and the CloudWatch calls it took.</summary>
public sealed record RegionUsage(string Region, IReadOnlyList<KeyMetricSeries> Series, string? Error, int GetMetricDataCalls, int Metrics)
{
    public double Total => Series.Sum(s => s.Values.Sum());
}
