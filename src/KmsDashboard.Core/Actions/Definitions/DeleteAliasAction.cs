namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Delete an alias that points at the key, in the key's Region.</summary>
public sealed class DeleteAliasAction : KeyAction<DeleteAliasRequest>
{
    public override string Name => "DeleteAlias";
    public override string Title => "Delete alias";

    public override int Order => 63;
    public override ActionMenu? Menu => ActionMenu.Aliases;
    public override string ElementId => "action-delete-alias";
    public override string BarLabel(KeyActionTarget target) => "Delete alias…";
    public override bool AppliesTo(KeyActionTarget target) => target.Key.Aliases.Count > 0;

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        new("alias", ActionInputKind.Choice, "Alias to delete")
        {
            ElementId = "alias-name", Options = target.Key.Aliases, Initial = target.Key.Aliases.FirstOrDefault() ?? target.Primary.Aliases.FirstOrDefault(),
        },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new DeleteAliasRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, AliasName = values.Text("alias") ?? "" };
    }

    internal override void Validate(DeleteAliasRequest r, ActionValidation v) => v.Add(KeyInputRules.CheckAliasName(r.AliasName));

    internal override Task PlanAsync(ActionPlanning p, DeleteAliasRequest r, CancellationToken ct) => CreateAliasAction.PlanAsync(p, r.AliasName, this, ct);
}
