using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>
/// Fix alias drift: make the alias point at the key set's member in every Region (or those listed), creating it where
/// missing and re-pointing it where it names another key.
/// </summary>
public sealed class AlignAliasAction : KeyAction<AlignAliasRequest>
{
    public override string Name => "AlignAlias";
    public override string Title => "Align alias across the key set";
    public override bool NeedsMultiRegionKey => true;

    public override int Order => 64;
    public override ActionMenu? Menu => ActionMenu.Aliases;
    public override string ElementId => "action-align-alias";
    public override string BarLabel(KeyActionTarget target) => "Align an alias across the key set…";
    public override bool AppliesTo(KeyActionTarget target) => target.IsMultiRegion;

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
        [CreateAliasAction.AliasNameInput(target.Key.Aliases.FirstOrDefault() ?? target.Primary.Aliases.FirstOrDefault())];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new AlignAliasRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, AliasName = values.Text("alias")?.Trim() ?? "" };
    }

    internal override void Validate(AlignAliasRequest r, ActionValidation v)
    {
        v.Add(KeyInputRules.CheckAliasName(r.AliasName));
        v.CheckRegions(r.Regions, "Region", required: true);
    }

    internal override async Task PlanAsync(ActionPlanning p, AlignAliasRequest r, CancellationToken ct)
    {
        var keyId = p.KeyId;
        if (await p.KeyAndPrimaryAsync(ct) is not (var key, var primary)) return;
        var members = new[] { primary.Region }.Concat(primary.ReplicaRegions).ToList();
        var targets = r.Regions ?? members.Where(p.Regions.Contains).ToList();
        foreach (var target in targets)
            if (!members.Contains(target)) p.Refuse($"{target} holds no key of the set {keyId}.");
        if (!p.IsReady) return;
        p.Blast($"Key set {keyId}: primary in {primary.Region}, replicas in {(primary.ReplicaRegions.Count == 0 ? "none" : string.Join(", ", primary.ReplicaRegions))}.");
        foreach (var target in targets)
        {
            try
            {
                var member = target == key.Region ? key : await p.Reader.DescribeAsync(target, keyId, ct);
                if (member is null) { p.Note($"{target}: the key was not found; skipped."); continue; }
                if (member.IsPendingDeletion) { p.Note($"{target}: the key is {member.State}; skipped."); continue; }
                var existing = (await p.Reader.AliasesAsync(target, ct)).FirstOrDefault(a => a.Name == r.AliasName);
                p.Affects(target, keyId);
                if (existing.Name is null)
                {
                    p.Note($"{target}: {r.AliasName} is missing; it will be created.");
                    p.Call(target, "CreateAlias", $"AliasName={r.AliasName}, TargetKeyId={keyId}", $"Create {r.AliasName} in {target}.",
                        (kms, c) => kms.CreateAliasAsync(new Kms.CreateAliasRequest { AliasName = r.AliasName, TargetKeyId = keyId }, c));
                }
                else if (existing.TargetKeyId != keyId)
                {
                    p.Blast($"{target}: {r.AliasName} points at {existing.TargetKeyId}; it will point at {keyId}.");
                    if (existing.TargetKeyId is { } previous) p.Affects(target, previous);
                    p.Call(target, "UpdateAlias", $"AliasName={r.AliasName}, TargetKeyId={keyId}", $"Re-point {r.AliasName} in {target}.",
                        (kms, c) => kms.UpdateAliasAsync(new Kms.UpdateAliasRequest { AliasName = r.AliasName, TargetKeyId = keyId }, c));
                }
                else p.Note($"{target}: {r.AliasName} already points at the key.");
            }
            catch (Exception ex) when (ActionPlanning.IsReadFailure(ex))
            {
                p.Note($"{target}: could not be read ({ActionPlanning.Describe(ex)}); skipped, align again once it answers.");
            }
        }
    }
}
