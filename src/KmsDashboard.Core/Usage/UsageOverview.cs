namespace KmsDashboard.Core.Usage;

/// <summary>What the Usage page shows for a range: calls by Region, by operation, by account and for the top keys, with totals.</summary>
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

    /// <summary>Requests per account (multi-account only; null with one account).</summary>
    public UsageChart? ByAccount { get; init; }

    /// <summary>The accounts read (empty in the single-account set-up).</summary>
    public IReadOnlyList<UsageAccount> Accounts { get; init; } = [];

    /// <summary>The one account the figures were narrowed to, or null for all.</summary>
    public string? Account { get; init; }

    /// <summary>"Name (Id)" of an account read, "" for the single account.</summary>
    public string AccountLabel(string account) => Accounts.FirstOrDefault(a => a.Id == account)?.Label ?? account;
}

/// <summary>An account the usage was read in.</summary>
public sealed record UsageAccount(string Id, string Name, string Label);
