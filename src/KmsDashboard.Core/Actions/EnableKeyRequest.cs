namespace KmsDashboard.Core.Actions;

/// <summary>Enable a disabled key in one Region.</summary>
public sealed record EnableKeyRequest : KeyActionRequest
{
    public override KeyAction Action => KeyAction.EnableKey;
}
