namespace KmsDashboard.Core.Actions;

/// <summary>Delete an alias that points at the key, in the key's Region.</summary>
public sealed record DeleteAliasRequest : KeyActionRequest
{
    public required string AliasName { get; init; }

    public override KeyAction Action => KeyAction.DeleteAlias;
}
