namespace KmsDashboard.Core.Usage;

/// <summary>How far a usage load has come: Regions answered out of those asked.</summary>
public sealed record UsageLoadProgress(int RegionsDone, int RegionsTotal);
