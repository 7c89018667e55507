namespace KmsDashboard.Core.Actions;

/// <summary>Make the key's tags in its Region exactly <see cref="Tags"/> (adding, changing and removing as needed).</summary>
public sealed record EditTagsRequest : KeyActionRequest
{
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public override KeyAction Action => KeyAction.EditTags;
}
