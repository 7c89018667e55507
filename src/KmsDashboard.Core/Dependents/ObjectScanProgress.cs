namespace KmsDashboard.Core.Dependents;

/// <summary>A scan's progress as reported while it runs (counts include the page under way).</summary>
public sealed record ObjectScanProgress(string Bucket, ObjectScanStatus Status, long ObjectsScanned, int PagesDone,
    IReadOnlyDictionary<string, long> CountsByKey, TimeSpan Elapsed, string? Error = null)
{
    public double ObjectsPerSecond => Elapsed.TotalSeconds > 0 ? ObjectsScanned / Elapsed.TotalSeconds : 0;
}
