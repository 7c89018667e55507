using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Copy the primary's tags and/or description to its replicas (each Region's copy drifts otherwise).</summary>
public sealed class CopyPrimaryPropertiesAction : KeyAction<CopyPrimaryPropertiesRequest>
{
    public override string Name => "CopyPrimaryProperties";
    public override string Title => "Copy primary's tags and description to replicas";
    public override bool NeedsMultiRegionKey => true;

    public override int Order => 73;
    public override ActionMenu? Menu => ActionMenu.Properties;
    public override string ElementId => "action-copy-primary";
    public override string BarLabel(KeyActionTarget target) => "Copy the primary's to its replicas…";
    public override bool AppliesTo(KeyActionTarget target) => target.IsMultiRegion && target.ReplicaCount > 0;

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        new("copyTags", ActionInputKind.Toggle, "Copy tags") { Initial = true },
        new("copyDescription", ActionInputKind.Toggle, "Copy description") { Initial = true },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new CopyPrimaryPropertiesRequest
        {
            KeyId = target.Key.KeyId, Region = target.Key.Region, CopyTags = values.Toggle("copyTags"), CopyDescription = values.Toggle("copyDescription"),
        };
    }

    internal override void Validate(CopyPrimaryPropertiesRequest r, ActionValidation v)
    {
        if (!r.CopyTags && !r.CopyDescription) v.Add("Choose tags, description or both to copy.");
        v.CheckRegions(r.Regions, "replica Region", required: true);
    }

    internal override async Task PlanAsync(ActionPlanning p, CopyPrimaryPropertiesRequest r, CancellationToken ct)
    {
        var keyId = p.KeyId;
        if (await p.KeyAndPrimaryAsync(ct) is not (_, var primary)) return;
        var targets = r.Regions ?? primary.ReplicaRegions.Where(p.Regions.Contains).ToList();
        foreach (var target in targets)
            if (!primary.ReplicaRegions.Contains(target)) p.Refuse($"{target} holds no replica of {keyId}.");
        if (targets.Count == 0) p.Refuse($"{keyId} has no replica to copy to.");
        if (!p.IsReady) return;
        var tags = r.CopyTags ? await p.Reader.TagsAsync(primary.Region, keyId, ct) : null;
        if (tags is not null) p.Note($"The primary's tags ({primary.Region}): {ActionPlanning.FormatTags(tags)}.");
        if (r.CopyDescription) p.Note($"The primary's description: \"{primary.Description}\".");
        foreach (var target in targets)
        {
            try
            {
                var replica = await p.Reader.DescribeAsync(target, keyId, ct);
                if (replica is null || replica.IsPendingDeletion) { p.Note($"{target}: the replica is {(replica is null ? "missing" : replica.State)}; skipped."); continue; }
                p.Affects(target, keyId);
                if (tags is not null) p.TagDiff(target, await p.Reader.TagsAsync(target, keyId, ct), tags);
                if (r.CopyDescription && replica.Description != primary.Description)
                {
                    var description = primary.Description;
                    p.Call(target, "UpdateKeyDescription", $"KeyId={keyId}, Description=\"{description}\"", $"Copy the description to {target}.",
                        (kms, c) => kms.UpdateKeyDescriptionAsync(new Kms.UpdateKeyDescriptionRequest { KeyId = keyId, Description = description }, c));
                }
            }
            catch (Exception ex) when (ActionPlanning.IsReadFailure(ex))
            {
                p.Note($"{target}: could not be read ({ActionPlanning.Describe(ex)}); skipped, copy again once it answers.");
            }
        }
    }
}
