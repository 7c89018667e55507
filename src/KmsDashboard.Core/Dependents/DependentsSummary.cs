namespace KmsDashboard.Core.Dependents;

/// <summary>
/// The Overview's view of dependents: a count per key set, the keys pending deletion still in use, and what could not
/// be read (S3, buckets, Regions' grants).
/// </summary>
public sealed record DependentsSummary(
    DateTimeOffset ReadAt,
    IReadOnlyList<KeySetDependentsCount> Counts,
    IReadOnlyList<PendingDeletionInUse> Alarms,
    string? S3Error,
    int FailingBuckets,
    IReadOnlyList<string> GrantsFailingIn);
