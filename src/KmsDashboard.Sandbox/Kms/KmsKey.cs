namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// A KMS key in one Region. Independent properties (description, policy, state, tags) live here; shared ones
/// (material, spec, rotation) on its <see cref="KeyFamily"/>.
/// </summary>
internal sealed class KmsKey(KeyFamily family, string region, string arn, DateTimeOffset created, long sequence, string keyManager)
{
    public KeyFamily Family { get; } = family;
    public string Region { get; } = region;
    public string KeyId => Family.KeyId;
    public string Arn { get; } = arn;
    public DateTimeOffset CreationDate { get; } = created;
    /// <summary>Orders ListKeys stably and makes its markers.</summary>
    public long Sequence { get; } = sequence;
    public string KeyManager { get; } = keyManager;
    public bool AwsManaged => KeyManager == "AWS";

    public string Description { get; set; } = "";
    public string Policy { get; set; } = "";
    public string State { get; set; } = KeyStates.Enabled;
    public DateTimeOffset? DeletionDate { get; set; }
    public int? PendingWindowInDays { get; set; }

    /// <summary>While Creating or Updating: when the transition ends and the state it ends in.</summary>
    public DateTimeOffset? TransitionEnds { get; set; }
    public string StateAfterTransition { get; set; } = KeyStates.Enabled;

    public OrderedDictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    public KeyLastUsage? LastUsage { get; set; }
    /// <summary>Grants on this key in this Region, oldest first.</summary>
    public List<KmsGrant> Grants { get; } = [];

    public bool Deleted { get; set; }

    public bool Enabled => State == KeyStates.Enabled || (State == KeyStates.Updating && StateAfterTransition == KeyStates.Enabled);

    public bool IsPrimary => Family.MultiRegion && Family.PrimaryRegion == Region;
    public bool IsReplica => Family.MultiRegion && Family.PrimaryRegion != Region;
    public string? MultiRegionKeyType => Family.MultiRegion ? (IsPrimary ? "PRIMARY" : "REPLICA") : null;
    public bool IsPendingDeletion => State is KeyStates.PendingDeletion or KeyStates.PendingReplicaDeletion;
}
