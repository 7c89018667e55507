namespace KmsDashboard.Core.Audit;

/// <summary>How far an export is: events written, pages read, Regions finished, and an estimate from the rate limit.</summary>
public sealed record AuditExportProgress(
    long Events, int Pages, int RegionsDone, int RegionsTotal, TimeSpan Elapsed, TimeSpan? EstimatedRemaining)
{
    /// <summary>0..1, from Regions done and how far back in the time range the others have read.</summary>
    public double Fraction { get; init; }
}
