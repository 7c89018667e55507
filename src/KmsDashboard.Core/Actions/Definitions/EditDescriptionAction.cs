using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Set the key's description in its Region.</summary>
public sealed class EditDescriptionAction : KeyAction<EditDescriptionRequest>
{
    public override string Name => "EditDescription";
    public override string Title => "Edit description";

    public override int Order => 72;
    public override ActionMenu? Menu => ActionMenu.Properties;
    public override string ElementId => "action-edit-description";
    public override string BarLabel(KeyActionTarget target) => "Edit description…";

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
        [new("description", ActionInputKind.Text, "Description") { ElementId = "description", Initial = target.Key.Description }];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new EditDescriptionRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, Description = values.Text("description") ?? "" };
    }

    internal override void Validate(EditDescriptionRequest r, ActionValidation v)
    {
        if (r.Description is null) v.Add("Give the description.");
        else v.Add(KeyInputRules.CheckDescription(r.Description));
    }

    internal override async Task PlanAsync(ActionPlanning p, EditDescriptionRequest r, CancellationToken ct)
    {
        var (keyId, region, description) = (p.KeyId, p.Region, r.Description);
        if (await p.KeyAsync(ct) is not { } key) return;
        if (key.IsPendingDeletion) { p.Refuse($"{keyId} in {region} is {key.State}: its description cannot change."); return; }
        if (key.Description == description) { p.Note("The description already is as asked."); return; }
        p.Note($"Description now: \"{key.Description}\".");
        p.Call(region, "UpdateKeyDescription", $"KeyId={keyId}, Description=\"{description}\"", $"Set the description in {region}.",
            (kms, c) => kms.UpdateKeyDescriptionAsync(new Kms.UpdateKeyDescriptionRequest { KeyId = keyId, Description = description }, c));
    }
}
