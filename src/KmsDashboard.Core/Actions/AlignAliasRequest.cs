namespace KmsDashboard.Core.Actions;

/// <summary>
/// Fix alias drift: make the alias point at the key set's member in every Region (or those listed), creating it where
/// missing and re-pointing it where it names another key.
/// </summary>
public sealed record AlignAliasRequest : KeyActionRequest
{
    public required string AliasName { get; init; }

    /// <summary>The Regions to align; null means every Region holding a member of the key set.</summary>
    public IReadOnlyList<string>? Regions { get; init; }

    public override KeyAction Action => KeyAction.AlignAlias;
}
