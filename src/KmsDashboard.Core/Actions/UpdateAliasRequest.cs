namespace KmsDashboard.Core.Actions;

/// <summary>Re-point an existing alias at the key, in the key's Region.</summary>
public sealed record UpdateAliasRequest : KeyActionRequest
{
    public required string AliasName { get; init; }

    public override KeyAction Action => KeyAction.UpdateAlias;
}
