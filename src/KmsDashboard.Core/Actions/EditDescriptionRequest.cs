namespace KmsDashboard.Core.Actions;

/// <summary>Set the key's description in its Region.</summary>
public sealed record EditDescriptionRequest : KeyActionRequest
{
    public required string Description { get; init; }

    public override KeyAction Action => KeyAction.EditDescription;
}
