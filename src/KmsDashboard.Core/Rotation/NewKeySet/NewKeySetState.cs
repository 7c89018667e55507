using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>What the new-key-set runbook knows and has made so far; saved after every step.</summary>
public sealed class NewKeySetState : IRunbookState
{
    public string PrimaryRegion { get; set; } = "";
    public List<string> ReplicaRegions { get; set; } = [];
    public string AliasName { get; set; } = "";
    public string Description { get; set; } = "";
    public Dictionary<string, string> Tags { get; set; } = [];
    /// <summary>The key policy as shown to the operator before the runbook started.</summary>
    public string Policy { get; set; } = "";
    public int RotationPeriodDays { get; set; } = 365;
    /// <summary>The buckets whose default encryption the last step points at the alias, with each one's Region.</summary>
    public List<ChosenBucket> Buckets { get; set; } = [];

    /// <summary>Set as soon as CreateKey answered, so a resumed step never makes a second key.</summary>
    public string? KeyId { get; set; }

    public IEnumerable<string> Regions => [PrimaryRegion, .. ReplicaRegions];

    public IEnumerable<KeyRef> AffectedKeys => KeyId is { } id ? Regions.Select(r => new KeyRef(r, id)) : [];
}
