namespace KmsDashboard.Core.Actions;

/// <summary>Create an alias for the key in its Region.</summary>
public sealed record CreateAliasRequest : KeyActionRequest
{
    public required string AliasName { get; init; }

    public override KeyAction Action => KeyAction.CreateAlias;
}
