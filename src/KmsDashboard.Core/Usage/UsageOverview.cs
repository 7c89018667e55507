namespace KmsDashboard.Core.Usage;

/// <summary>What the Usage page shows for a range: calls by Region, by operation and for the top keys, with totals.</summary>
public sealed record UsageOverview(
    UsageRange Range,
    UsageChart ByRegion,
    UsageChart ByOperation,
    UsageChart TopKeys,
    IReadOnlyList<RegionUsage> Regions,
    DateTimeOffset LoadedAt)
{
    public double Total => ByRegion.Total;

    public int GetMetricDataCalls => Regions.Sum(r => r.GetMetricDataCalls);

    public IEnumerable<RegionUsage> FailedRegions => Regions.Where(r => r.Error is not null);
}
