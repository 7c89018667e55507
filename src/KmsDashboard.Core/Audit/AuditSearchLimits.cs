namespace KmsDashboard.Core.Audit;

/// <summary>
/// How much a search may hold: events per Region and, across Regions, an approximate size in bytes (a page's view
/// keeps its results for the life of the circuit). Without the raw records, an event is about 1 KB in memory.
/// </summary>
public sealed record AuditSearchLimits(int MaxPerRegion, long MaxBytes = long.MaxValue)
{
    /// <summary>Keep each event's full CloudTrail record (the raw JSON); a view that does not show it drops it.</summary>
    public bool KeepRecords { get; init; } = true;
}
