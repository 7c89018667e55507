using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>Start inputs of "New key set": where, the alias, description, tags, who administers and uses the key, rotation, and the buckets to move onto it.</summary>
public sealed record NewKeySetInputs : RunbookInputs
{
    public const string KindName = "NewKeySet";

    public override string Kind => KindName;

    public required string PrimaryRegion { get; init; }
    public IReadOnlyList<string> ReplicaRegions { get; init; } = [];
    /// <summary>One alias, created in every Region of the set.</summary>
    public required string AliasName { get; init; }
    public string Description { get; init; } = "";
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public required KeyPolicyChoices Policy { get; init; }
    /// <summary>Automatic rotation on with this period (90–2560 days).</summary>
    public int RotationPeriodDays { get; init; } = 365;
    /// <summary>Buckets (in Regions of the set) whose default encryption should use the new alias; none by default.</summary>
    public IReadOnlyList<string> Buckets { get; init; } = [];
}
