namespace KmsDashboard.Core.Actions;

/// <summary>Rotate the key material on demand (at most 25 times per key), on the key set's primary.</summary>
public sealed record RotateNowRequest : KeyActionRequest
{
    public override KeyAction Action => KeyAction.RotateNow;
}
