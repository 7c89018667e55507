using KmsDashboard.Core.Inventory;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Replicate a multi-Region key set into more Regions, from its primary.</summary>
public sealed class ReplicateKeyAction : KeyAction<ReplicateKeyRequest>
{
    public override string Name => "Replicate";
    public override string Title => "Replicate";
    public override bool NeedsMultiRegionKey => true;

    public override int Order => 10;
    public override string ElementId => "action-replicate";
    public override string Icon => "AddLocationAlt";
    public override bool AppliesTo(KeyActionTarget target) => target.IsMultiRegion;

    public override string? Unavailable(RegionalKey primary) =>
        primary.IsPendingDeletion ? $"the primary in {primary.Region} is {primary.State}"
        : KeySetDriftDetector.IsTransitional(primary.State) ? $"the primary in {primary.Region} is still {primary.State}"
        : null;

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        new("targets", ActionInputKind.Regions, "Replicate to (Regions holding no key of this set yet)")
        {
            ElementId = "target-regions", OptionAttribute = "data-target-region", Options = target.FreeRegions, Initial = Array.Empty<string>(),
            NoOptionsText = "Every configured Region already holds a key of this set.",
        },
        new("description", ActionInputKind.Text, "Description of the replicas")
        {
            ElementId = "replica-description", Initial = target.Primary.Description,
            Help = "Copied from the primary; change it to give the replicas their own.",
        },
        new("tags", ActionInputKind.Lines, "Tags of the replicas (one key=value a line)")
        {
            ElementId = "replica-tags", Lines = 4, Initial = KeyActionTarget.TagLines(target.Primary.Tags),
        },
        new("copyPolicy", ActionInputKind.Toggle, "Copy the primary's key policy") { Initial = true },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = KeyInputRules.ParseTagLines(values.Text("tags"), out var tags);
        if (inputError is not null) return null;
        return new ReplicateKeyRequest
        {
            KeyId = target.Key.KeyId, Region = target.Key.Region, TargetRegions = [.. values.Regions("targets").Order(StringComparer.Ordinal)],
            CopyPolicy = values.Toggle("copyPolicy"),
            Description = values.IsInitial("description") ? null : values.Text("description") ?? "",
            Tags = values.IsInitial("tags") ? null : tags,
        };
    }

    internal override void Validate(ReplicateKeyRequest r, ActionValidation v)
    {
        v.CheckRegions(r.TargetRegions ?? [], "target Region", required: true);
        v.Add(KeyInputRules.CheckDescription(r.Description));
        v.Add(KeyInputRules.CheckTags(r.Tags));
    }

    internal override async Task PlanAsync(ActionPlanning p, ReplicateKeyRequest r, CancellationToken ct)
    {
        if (await p.KeyAndPrimaryAsync(ct) is not (_, var primary)) return;
        var keyId = p.KeyId;
        if (!ActionPlanning.Settled(primary)) p.Refuse($"The primary in {primary.Region} is {primary.State}; only an Enabled or Disabled primary can be replicated.");
        foreach (var target in r.TargetRegions)
        {
            if (target == primary.Region) p.Refuse($"{target} holds the primary itself.");
            // After a partial outcome (one Region's call failed or went unanswered), asking again plans only what is missing.
            else if (primary.ReplicaRegions.Contains(target)) p.Note($"{target} already holds a replica of {keyId}: nothing to do there.");
        }
        if (!p.IsReady) return;
        var missing = r.TargetRegions.Where(t => !primary.ReplicaRegions.Contains(t)).ToList();
        if (missing.Count == 0) return;
        await p.BlastRadiusAsync(primary, ct);

        var description = r.Description ?? primary.Description;
        var tags = r.Tags ?? await p.Reader.TagsAsync(primary.Region, keyId, ct);
        var policy = r.CopyPolicy ? await p.Reader.PolicyAsync(primary.Region, keyId, ct) : null;
        p.Note($"Description {(r.Description is null ? "copied from the primary" : "as given")}: \"{description}\".");
        p.Note($"Tags {(r.Tags is null ? "copied from the primary" : "as given")}: {ActionPlanning.FormatTags(tags)}.");
        p.Note(policy is null ? "Key policy: AWS's default policy." : "Key policy: copied from the primary.");
        p.Note("Each replica is Creating for a short while, then Enabled; it shares the primary's key material and rotation. Every replica costs $1 a month.");
        foreach (var target in missing)
        {
            p.Affects(target, keyId);
            p.Call(primary.Region, "ReplicateKey",
                $"KeyId={keyId}, ReplicaRegion={target}, Description=\"{description}\", Tags={ActionPlanning.FormatTags(tags)}{(policy is null ? "" : ", Policy=<primary's policy>")}",
                $"Create a replica in {target}.",
                (kms, c) => kms.ReplicateKeyAsync(new Kms.ReplicateKeyRequest
                {
                    KeyId = keyId, ReplicaRegion = target, Description = description, Policy = policy,
                    Tags = [.. tags.Select(t => new Kms.Tag { TagKey = t.Key, TagValue = t.Value })],
                }, c));
        }
    }
}
