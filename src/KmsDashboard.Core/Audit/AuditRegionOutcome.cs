namespace KmsDashboard.Core.Audit;

/// <summary>How one Region's part of a search or export went: events kept, pages read, cut short, or why it failed.</summary>
public sealed record AuditRegionOutcome(string Region, int Events, int Pages, bool Truncated, string? Error)
{
    /// <summary>Events read from CloudTrail, including those the checks made here did not keep.</summary>
    public int EventsRead { get; init; } = Events;
}
