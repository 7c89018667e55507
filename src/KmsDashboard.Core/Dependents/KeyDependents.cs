namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Everything found depending on one key set (every Region of a multi-Region key, or one single-Region key): buckets,
/// replication rules, and per Region grants and CloudTrail callers, with what could not be read.
/// </summary>
public sealed record KeyDependents
{
    public required string KeyId { get; init; }
    public string DisplayName { get; init; } = "";
    public required TimeSpan Window { get; init; }
    /// <summary>CloudTrail callers were not read: the user may not see CloudTrail (Auditor and Admin only).</summary>
    public bool CallersHidden { get; init; }
    public IReadOnlyList<RegionDependents> Regions { get; init; } = [];
    public IReadOnlyList<BucketDependency> Buckets { get; init; } = [];
    public IReadOnlyList<ReplicationDependency> ReplicationRules { get; init; } = [];
    /// <summary>Buckets whose configuration could not be read: they might depend on the key.</summary>
    public IReadOnlyList<BucketFacts> FailingBuckets { get; init; } = [];
    /// <summary>ListBuckets itself failed (no bucket could be checked).</summary>
    public string? S3Error { get; init; }
    public DateTimeOffset? S3FailingSince { get; init; }
    public DateTimeOffset? BucketsReadAt { get; init; }
    public required DateTimeOffset ReadAt { get; init; }

    public IEnumerable<KeyGrant> Grants => Regions.SelectMany(r => r.Grants);
    public IEnumerable<KeyCaller> Callers => Regions.SelectMany(r => r.Callers);

    /// <summary>The principals (and services) seen, once each across Regions.</summary>
    public IReadOnlyList<string> DistinctPrincipals => [.. Callers.Select(c => c.Principal).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public BlastRadius BlastRadius
    {
        get
        {
            var unknown = new List<string>();
            if (S3Error is not null) unknown.Add("S3 buckets (ListBuckets failed)");
            else if (FailingBuckets.Count > 0) unknown.Add($"{FailingBuckets.Count} bucket{(FailingBuckets.Count == 1 ? "" : "s")} could not be read");
            if (CallersHidden) unknown.Add("CloudTrail callers (shown to Auditor and Admin)");
            foreach (var region in Regions)
            {
                if (region.GrantsError is not null) unknown.Add($"grants in {region.Region}");
                if (region.CallersError is not null) unknown.Add($"CloudTrail in {region.Region}");
            }
            return new BlastRadius(Buckets.Count, ReplicationRules.Count, Grants.Count(), DistinctPrincipals.Count, Window, unknown);
        }
    }
}
