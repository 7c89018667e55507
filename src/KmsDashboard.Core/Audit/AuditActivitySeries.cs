namespace KmsDashboard.Core.Audit;

/// <summary>One stack of the activity chart: an event name or user (or every smaller one, as "Other") and its count per bucket.</summary>
public sealed record AuditActivitySeries(string Name, IReadOnlyList<int> Counts, bool IsOther = false)
{
    public int Total => Counts.Sum();
}
