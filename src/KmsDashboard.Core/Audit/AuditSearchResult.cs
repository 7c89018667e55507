namespace KmsDashboard.Core.Audit;

/// <summary>A search's events (newest first, across Regions) and each Region's outcome.</summary>
public sealed record AuditSearchResult(AuditPlan Plan, IReadOnlyList<AuditEvent> Events, IReadOnlyList<AuditRegionOutcome> Regions)
{
    public bool Truncated => Regions.Any(r => r.Truncated);
}
