namespace KmsDashboard.Core.Usage;

/// <summary>The usage chart of one key set (a series per Region) and its last use in each Region.</summary>
public sealed record KeyUsage(string KeyId, UsageChart ByRegion, UsageChart ByOperation, IReadOnlyList<RegionLastUse> LastUse, IReadOnlyList<RegionUsage> Regions);
