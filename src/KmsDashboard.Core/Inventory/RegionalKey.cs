namespace KmsDashboard.Core.Inventory;

/// <summary>
/// One KMS key in one Region as the inventory last read it. Plain data: no SDK types, safe to hand to Razor.
/// </summary>
public sealed record RegionalKey
{
    public required string Region { get; init; }
    /// <summary>The AWS account the key lives in: "" in the single-account set-up (the credentials' own account).</summary>
    public string Account { get; init; } = "";
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

    /// <summary>
    /// What the dashboard's credentials were refused when reading this key (a key policy that does not let them read it):
    /// each refused operation and KMS's message. Null when the key was read in full.
    /// </summary>
    public string? ReadError { get; init; }

    /// <summary>False when even DescribeKey was refused: only the id, ARN (from ListKeys) and aliases are known.</summary>
    public bool MetadataRead { get; init; } = true;

    /// <summary>
    /// A multi-Region key by its configuration, or (when DescribeKey was refused) by its <c>mrk-</c> id, so an unreadable
    /// member still sits in its key set.
    /// </summary>
    public bool IsMultiRegion => Role != MultiRegionRole.None || (!MetadataRead && KeyId.StartsWith("mrk-", StringComparison.Ordinal));
    public KeyRef Ref => new(Region, KeyId, Account);
    public bool IsPendingDeletion => State is "PendingDeletion" or "PendingReplicaDeletion";

    /// <summary>The first alias without its <c>alias/</c> prefix, else the key id: how people name a key.</summary>
    public string DisplayName => Aliases.Count > 0 ? Aliases[0]["alias/".Length..] : KeyId;

    internal static readonly IReadOnlyDictionary<string, string> EmptyTags = new Dictionary<string, string>();
}
