namespace KmsDashboard.Core.Usage;

/// <summary>One Region's usage (of one account) over a range, or why it could not be read; and the CloudWatch calls it took.</summary>
public sealed record RegionUsage(string Region, IReadOnlyList<KeyMetricSeries> Series, string? Error, int GetMetricDataCalls, int Metrics)
{
    /// <summary>The account read: "" in the single-account set-up.</summary>
    public string Account { get; init; } = "";

    public double Total => Series.Sum(s => s.Values.Sum());
}
