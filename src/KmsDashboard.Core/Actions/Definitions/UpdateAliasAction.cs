namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Re-point an existing alias at the key, in the key's Region.</summary>
public sealed class UpdateAliasAction : KeyAction<UpdateAliasRequest>
{
    public override string Name => "UpdateAlias";
    public override string Title => "Re-point alias";

    public override int Order => 62;
    public override ActionMenu? Menu => ActionMenu.Aliases;
    public override string ElementId => "action-update-alias";
    public override string BarLabel(KeyActionTarget target) => "Point an alias here…";

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
        [CreateAliasAction.AliasNameInput(target.Key.Aliases.FirstOrDefault() ?? target.Primary.Aliases.FirstOrDefault())];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new UpdateAliasRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, AliasName = values.Text("alias")?.Trim() ?? "" };
    }

    internal override void Validate(UpdateAliasRequest r, ActionValidation v) => v.Add(KeyInputRules.CheckAliasName(r.AliasName));

    internal override Task PlanAsync(ActionPlanning p, UpdateAliasRequest r, CancellationToken ct) => CreateAliasAction.PlanAsync(p, r.AliasName, this, ct);
}
