namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Everything found depending on one key set (every Region of a multi-Region key, or one single-Region key): buckets,
/// replication rules, and per Region grants and CloudTrail callers, with what could not be read.
/// </summary>
public sealed record KeyDependents
{
    public required string KeyId { get; init; }
    /// <summary>The account the key set lives in ("" in the single-account set-up); everything here was read there.</summary>
    public string Account { get; init; } = "";
    /// <summary>The account's role could not be assumed: nothing could be read there (each part below says what failed).</summary>
    public string? AccountError { get; init; }
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

    /// <summary>The blast radius across every Region of the key set.</summary>
    public BlastRadius BlastRadius => BlastRadiusIn(null);

    /// <summary>
    /// The blast radius of the keys in <paramref name="regions"/> only (null: every Region): buckets and rules whose key
    /// lives there, grants and callers there. Disabling one Region's key leaves the other Regions' keys working.
    /// </summary>
    public BlastRadius BlastRadiusIn(IReadOnlyCollection<string>? regions, string consequence = BlastRadius.LoseAccess)
    {
        bool In(string? region) => regions is null || (region is not null && regions.Contains(region));
        var unknown = new List<string>();
        if (AccountError is not null) unknown.Add($"account {Account} (its role could not be assumed)");
        if (CallersHidden) unknown.Add("CloudTrail callers (shown to Auditor and Admin)");
        if (S3Error is not null) unknown.Add("S3 buckets (ListBuckets failed)");
        else
        {
            var failing = FailingBuckets.Count(b => b.Region is null || In(b.Region));
            if (failing > 0) unknown.Add($"{failing} bucket{(failing == 1 ? "" : "s")} could not be read");
        }
        var scoped = Regions.Where(r => In(r.Region)).ToList();
        foreach (var region in scoped)
        {
            if (region.GrantsError is not null) unknown.Add($"grants in {region.Region}");
            if (!CallersHidden && region.CallersError is not null) unknown.Add($"CloudTrail in {region.Region}");
        }
        var principals = scoped.SelectMany(r => r.Callers).Select(c => c.Principal).Distinct(StringComparer.Ordinal).Count();
        return new BlastRadius(Buckets.Count(b => In(b.KeyRegion)), ReplicationRules.Count(r => In(r.KeyRegion)), scoped.Sum(r => r.Grants.Count), principals,
            Window, unknown) { Consequence = consequence, Regions = regions is null ? null : [.. regions.Order(StringComparer.Ordinal)] };
    }
}
