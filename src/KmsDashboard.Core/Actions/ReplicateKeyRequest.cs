namespace KmsDashboard.Core.Actions;

/// <summary>Replicate a multi-Region key set into more Regions, from its primary.</summary>
public sealed record ReplicateKeyRequest : KeyActionRequest
{
    public required IReadOnlyList<string> TargetRegions { get; init; }

    /// <summary>The replicas' description; null copies the primary's.</summary>
    public string? Description { get; init; }

    /// <summary>The replicas' tags; null copies the primary's.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Give the replicas the primary's key policy (else AWS applies the default policy).</summary>
    public bool CopyPolicy { get; init; } = true;

    public override KeyAction Action => KeyAction.Replicate;
}
