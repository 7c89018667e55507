namespace KmsDashboard.Core.Inventory;

/// <summary>
/// One KMS key in one Region as the inventory last read it. Plain data: no SDK types, safe to hand to Razor.
/// </summary>
public sealed record RegionalKey
{
    public required string Region { get; init; }
    public required string KeyId { get; init; }
    public required string Arn { get; init; }
    /// <summary>Creating, Enabled, Disabled, PendingDeletion, PendingImport, PendingReplicaDeletion, Unavailable, Updating.</summary>
    public required string State { get; init; }
    public bool Enabled { get; init; }
    public string Description { get; init; } = "";
    /// <summary>True for AWS managed keys (<c>KeyManager = AWS</c>): shown apart, never actionable.</summary>
    public bool AwsManaged { get; init; }
    public string KeySpec { get; init; } = "";
    public string KeyUsage { get; init; } = "";
    public string Origin { get; init; } = "";
    public DateTimeOffset? CreationDate { get; init; }
    public DateTimeOffset? DeletionDate { get; init; }
    public int? PendingDeletionWindowInDays { get; init; }
    public MultiRegionRole Role { get; init; }
    /// <summary>The primary's Region for multi-Region keys (from the key's own configuration).</summary>
    public string? PrimaryRegion { get; init; }
    /// <summary>The replicas' Regions as the key's configuration lists them.</summary>
    public IReadOnlyList<string> ReplicaRegions { get; init; } = [];
    /// <summary>Alias names (<c>alias/...</c>) pointing at this key in its Region, sorted.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public IReadOnlyDictionary<string, string> Tags { get; init; } = EmptyTags;
    /// <summary>The <c>default</c> key policy document, or null when it was not read (AWS managed keys).</summary>
    public string? Policy { get; init; }
    public KeyRotationInfo Rotation { get; init; } = KeyRotationInfo.NotApplicable;
    /// <summary>Filled in the background (GetKeyLastUsage allows 5 calls a second); null until read.</summary>
    public KeyLastUse? LastUse { get; init; }

    public bool IsMultiRegion => Role != MultiRegionRole.None;
    public KeyRef Ref => new(Region, KeyId);
    public bool IsPendingDeletion => State is "PendingDeletion" or "PendingReplicaDeletion";

    /// <summary>The first alias without its <c>alias/</c> prefix, else the key id: how people name a key.</summary>
    public string DisplayName => Aliases.Count > 0 ? Aliases[0]["alias/".Length..] : KeyId;

    internal static readonly IReadOnlyDictionary<string, string> EmptyTags = new Dictionary<string, string>();
}
