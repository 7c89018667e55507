namespace KmsDashboard.Core.Actions;

/// <summary>Copy the primary's tags and/or description to its replicas (each Region's copy drifts otherwise).</summary>
public sealed record CopyPrimaryPropertiesRequest : KeyActionRequest
{
    public bool CopyTags { get; init; } = true;
    public bool CopyDescription { get; init; } = true;

    /// <summary>The replicas' Regions to copy to; null means every replica.</summary>
    public IReadOnlyList<string>? Regions { get; init; }

    public override KeyAction Action => KeyAction.CopyPrimaryProperties;
}
