namespace KmsDashboard.Core.Actions;

/// <summary>Turn on (or change the period of) automatic rotation, on the key set's primary.</summary>
public sealed record EnableRotationRequest : KeyActionRequest
{
    public int RotationPeriodInDays { get; init; } = KeyInputRules.DefaultRotationPeriodDays;

    public override KeyAction Action => KeyAction.EnableRotation;
}
