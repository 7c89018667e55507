using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Create an alias for the key in its Region.</summary>
public sealed class CreateAliasAction : KeyAction<CreateAliasRequest>
{
    public override string Name => "CreateAlias";
    public override string Title => "Create alias";

    public override int Order => 61;
    public override ActionMenu? Menu => ActionMenu.Aliases;
    public override string ElementId => "action-create-alias";
    public override string BarLabel(KeyActionTarget target) => "Create alias…";

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) => [AliasNameInput(null)];

    /// <summary>An alias typed by hand, checked by Core's own rule as it is typed (debounced), before any plan is asked for.</summary>
    internal static ActionInput AliasNameInput(string? initial) => new("alias", ActionInputKind.Text, "Alias name")
    {
        ElementId = "alias-name", Immediate = true, DebounceMilliseconds = 300, Initial = initial,
        Help = "alias/ then letters, digits and : / _ - (not alias/aws/).",
        Check = v => v is string { Length: > 0 } alias ? KeyInputRules.CheckAliasName(alias.Trim()) : null, ProblemElementId = "alias-name-error",
    };

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new CreateAliasRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, AliasName = values.Text("alias")?.Trim() ?? "" };
    }

    internal override void Validate(CreateAliasRequest r, ActionValidation v) => v.Add(KeyInputRules.CheckAliasName(r.AliasName));

    internal override Task PlanAsync(ActionPlanning p, CreateAliasRequest r, CancellationToken ct) => PlanAsync(p, r.AliasName, this, ct);

    /// <summary>Create, re-point and delete read the same state; the checks and the call differ.</summary>
    internal static async Task PlanAsync(ActionPlanning p, string aliasName, KeyAction action, CancellationToken ct)
    {
        var (keyId, region) = (p.KeyId, p.Region);
        if (await p.KeyAsync(ct) is not { } key) return;
        if (key.IsPendingDeletion && action is not DeleteAliasAction) { p.Refuse($"{keyId} in {region} is {key.State}: aliases cannot point at it."); return; }
        var existing = (await p.Reader.AliasesAsync(region, ct)).FirstOrDefault(a => a.Name == aliasName);
        var exists = existing.Name is not null;
        switch (action)
        {
            case CreateAliasAction:
                if (exists) { p.Refuse($"{aliasName} already exists in {region} and points at {existing.TargetKeyId ?? "no key"}; re-point it instead."); return; }
                p.Call(region, "CreateAlias", $"AliasName={aliasName}, TargetKeyId={keyId}", $"Create {aliasName} in {region}.",
                    (kms, c) => kms.CreateAliasAsync(new Kms.CreateAliasRequest { AliasName = aliasName, TargetKeyId = keyId }, c));
                break;
            case UpdateAliasAction:
                if (!exists) { p.Refuse($"{aliasName} does not exist in {region}; create it instead."); return; }
                if (existing.TargetKeyId == keyId) { p.Note($"{aliasName} already points at {keyId}."); return; }
                p.Blast($"{aliasName} now points at {existing.TargetKeyId}; whatever uses the alias in {region} will use {keyId} instead.");
                if (existing.TargetKeyId is { } previous) p.Affects(region, previous);
                p.Call(region, "UpdateAlias", $"AliasName={aliasName}, TargetKeyId={keyId}", $"Point {aliasName} at {keyId} in {region}.",
                    (kms, c) => kms.UpdateAliasAsync(new Kms.UpdateAliasRequest { AliasName = aliasName, TargetKeyId = keyId }, c));
                break;
            case DeleteAliasAction:
                if (!exists) { p.Refuse($"{aliasName} does not exist in {region}."); return; }
                if (existing.TargetKeyId != keyId) { p.Refuse($"{aliasName} points at {existing.TargetKeyId}, not at {keyId}."); return; }
                p.Blast($"Whatever uses {aliasName} in {region} fails with NotFoundException once it is gone; the key itself is untouched.");
                p.Call(region, "DeleteAlias", $"AliasName={aliasName}", $"Delete {aliasName} in {region}.",
                    (kms, c) => kms.DeleteAliasAsync(new Kms.DeleteAliasRequest { AliasName = aliasName }, c));
                break;
        }
    }
}
