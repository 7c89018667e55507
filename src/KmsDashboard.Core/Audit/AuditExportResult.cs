namespace KmsDashboard.Core.Audit;

/// <summary>What an export wrote: the count, pages, each Region's outcome, and whether it ran to the end.</summary>
public sealed record AuditExportResult(long Events, int Pages, bool Complete, IReadOnlyList<AuditRegionOutcome> Regions, TimeSpan Elapsed)
{
    /// <summary>The user (or the connection) stopped the export before the end.</summary>
    public bool Cancelled { get; init; }
}
