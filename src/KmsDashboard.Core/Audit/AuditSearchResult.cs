namespace KmsDashboard.Core.Audit;

/// <summary>A search's events (newest first, across Regions) and each Region's outcome.</summary>
public sealed record AuditSearchResult(AuditPlan Plan, IReadOnlyList<AuditEvent> Events, IReadOnlyList<AuditRegionOutcome> Regions)
{
    public bool Truncated => Regions.Any(r => r.Truncated);

    /// <summary>The search stopped because its events reached the size limit (<see cref="AuditSearchLimits.MaxBytes"/>).</summary>
    public bool CutBySize { get; init; }

    /// <summary>Approximate memory the events hold.</summary>
    public long ApproximateBytes { get; init; }
}
