namespace KmsDashboard.Core.Actions;

/// <summary>Turn off automatic rotation, on the key set's primary.</summary>
public sealed record DisableRotationRequest : KeyActionRequest
{
    public override KeyAction Action => KeyAction.DisableRotation;
}
