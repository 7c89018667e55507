namespace KmsDashboard.Core.Actions;

/// <summary>Cancel a scheduled deletion. The key is left Disabled unless <see cref="ReEnable"/> is set.</summary>
public sealed record CancelDeletionRequest : KeyActionRequest
{
    public bool ReEnable { get; init; }

    public override KeyAction Action => KeyAction.CancelDeletion;
}
