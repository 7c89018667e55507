namespace KmsDashboard.Core.Audit;

/// <summary>How far a search has got in each Region, reported after every page.</summary>
public sealed record AuditSearchProgress(IReadOnlyList<AuditRegionProgress> Regions)
{
    public int Pages => Regions.Sum(r => r.Pages);
    public long EventsRead => Regions.Sum(r => (long)r.EventsRead);
}
