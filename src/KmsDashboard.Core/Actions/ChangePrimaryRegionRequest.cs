namespace KmsDashboard.Core.Actions;

/// <summary>Make the replica in <see cref="NewPrimaryRegion"/> the primary of its key set.</summary>
public sealed record ChangePrimaryRegionRequest : KeyActionRequest
{
    public required string NewPrimaryRegion { get; init; }

    public override KeyAction Action => KeyAction.ChangePrimaryRegion;
}
