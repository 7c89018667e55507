namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Make the key's tags in its Region exactly the ones given (adding, changing and removing as needed).</summary>
public sealed class EditTagsAction : KeyAction<EditTagsRequest>
{
    public override string Name => "EditTags";
    public override string Title => "Edit tags";

    public override int Order => 71;
    public override ActionMenu? Menu => ActionMenu.Properties;
    public override string ElementId => "action-edit-tags";
    public override string BarLabel(KeyActionTarget target) => "Edit tags…";

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        new("tags", ActionInputKind.Lines, "Tags (one key=value a line)") { ElementId = "tags", Lines = 6, Initial = KeyActionTarget.TagLines(target.Key.Tags) },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = KeyInputRules.ParseTagLines(values.Text("tags"), out var tags);
        return inputError is null ? new EditTagsRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, Tags = tags } : null;
    }

    internal override void Validate(EditTagsRequest r, ActionValidation v)
    {
        if (r.Tags is null) v.Add("Give the tags the key should have.");
        else v.Add(KeyInputRules.CheckTags(r.Tags));
    }

    internal override async Task PlanAsync(ActionPlanning p, EditTagsRequest r, CancellationToken ct)
    {
        var (keyId, region) = (p.KeyId, p.Region);
        if (await p.KeyAsync(ct) is not { } key) return;
        if (key.IsPendingDeletion) { p.Refuse($"{keyId} in {region} is {key.State}: its tags cannot change."); return; }
        var current = await p.Reader.TagsAsync(region, keyId, ct);
        p.Note($"Tags now: {ActionPlanning.FormatTags(current)}.");
        p.TagDiff(region, current, r.Tags);
        if (key.IsMultiRegion) p.Note("Tags are per Region: the other keys of the set keep theirs.");
    }
}
