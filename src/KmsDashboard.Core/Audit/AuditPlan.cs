namespace KmsDashboard.Core.Audit;

/// <summary>A validated query and the lookups that answer it, with notes on how a key or alias was resolved.</summary>
public sealed record AuditPlan(AuditQuery Query, IReadOnlyList<AuditLookup> Lookups, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<string> Regions => [.. Lookups.Select(l => l.Region).Distinct(StringComparer.Ordinal)];
}
