namespace KmsDashboard.Core.Audit;

/// <summary>
/// A validated query and the lookups that answer it, with notes on how a key or alias was resolved. CloudTrail's
/// lookup takes one attribute: <see cref="ClientSide"/> holds the criteria checked here on every event read.
/// </summary>
public sealed record AuditPlan(AuditQuery Query, IReadOnlyList<AuditLookup> Lookups, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<string> Regions => [.. Lookups.Select(l => l.Region).Distinct(StringComparer.Ordinal)];

    /// <summary>Criteria CloudTrail cannot take in the same request, checked on each event after it is read.</summary>
    public IReadOnlyList<AuditCriterion> ClientSide { get; init; } = [];

    /// <summary>True when the event meets every criterion checked here.</summary>
    public bool Keep(AuditEvent e)
    {
        foreach (var criterion in ClientSide)
            if (!criterion.Matches(e)) return false;
        return true;
    }
}
