namespace KmsDashboard.Core.Actions;

/// <summary>Disable a key in one Region: every cryptographic call with it there fails until it is enabled again.</summary>
public sealed record DisableKeyRequest : KeyActionRequest
{
    public override KeyAction Action => KeyAction.DisableKey;
}
