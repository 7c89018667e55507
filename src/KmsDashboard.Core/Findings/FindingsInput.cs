using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// Everything one evaluation looks at. Only the snapshot is required; each other source is null when it was not read
/// (then the checks needing it say "not evaluated" with <see cref="Unavailable"/>'s reason, never pass).
/// </summary>
public sealed record FindingsInput
{
    public required InventorySnapshot Snapshot { get; init; }
    public required DateTimeOffset Now { get; init; }
    public BucketCatalogSnapshot? Buckets { get; init; }
    public IReadOnlyList<RegionStatus>? RegionHealth { get; init; }
    public UsageFacts? Usage { get; init; }
    public TrailFacts? Trail { get; init; }
    /// <summary>Check 8: the last drill per key set; null when no drill history is available.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? LastDrills { get; init; }
    /// <summary>Check 5a: trail coverage per Region; null when it could not be read.</summary>
    public IReadOnlyList<TrailCoverage>? TrailCoverage { get; init; }
    /// <summary>Check 2 (grants): grants per key and Region, from the dependents already read; keys absent were not read.</summary>
    public IReadOnlyDictionary<KeyRef, IReadOnlyList<KeyGrant>>? Grants { get; init; }
    /// <summary>Check 3 (incident): rotation history of the keys carrying the incident tag, by key id.</summary>
    public IReadOnlyDictionary<string, KeyRotationHistory>? IncidentRotations { get; init; }
    /// <summary>Why a source is missing, by source name (usage, trail, drills, trail-coverage, grants, rotations).</summary>
    public IReadOnlyDictionary<string, string> Unavailable { get; init; } = new Dictionary<string, string>();
}

/// <summary>CloudWatch SuccessfulRequest per regional key (by ARN): the last day with any request and the last 30 days by operation.</summary>
public sealed record UsageFacts(IReadOnlyDictionary<string, KeyUsageFacts> ByArn, IReadOnlyDictionary<string, string> FailedRegions, DateTimeOffset ReadAt)
{
    public static readonly KeyUsageFacts NoUse = new(null, new Dictionary<string, double>());
}

public sealed record KeyUsageFacts(DateTimeOffset? LastUsedDay, IReadOnlyDictionary<string, double> Last30DaysByOperation)
{
    public double Last30Days => Last30DaysByOperation.Values.Sum();
}

/// <summary>CloudTrail's cryptographic calls on customer keys, tallied per Region, key and caller.</summary>
public sealed record TrailFacts(IReadOnlyList<TrailCallTally> Tallies, IReadOnlyDictionary<string, string> FailedRegions, DateTimeOffset From, DateTimeOffset ReadAt);

/// <summary>
/// One caller's calls on one key in one Region: how many, how many named the key by id or ARN (with an example), how many
/// came without a VPC endpoint, and a few event ids as evidence.
/// </summary>
public sealed record TrailCallTally(string Region, string KeyId, string Principal, int Calls, int NamedByKeyId, string? ExampleName,
    int WithoutVpcEndpoint, IReadOnlyList<string> EventIds, DateTimeOffset LastSeen);
