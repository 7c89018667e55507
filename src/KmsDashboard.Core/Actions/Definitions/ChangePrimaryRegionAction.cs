using KmsDashboard.Core.Inventory;
using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>Make a replica the primary of its key set (UpdatePrimaryRegion). Destructive: Admin, typed confirmation.</summary>
public sealed class ChangePrimaryRegionAction : KeyAction<ChangePrimaryRegionRequest>
{
    public override string Name => "ChangePrimaryRegion";
    public override string Title => "Change primary Region";
    public override bool IsDestructive => true;
    public override bool NeedsMultiRegionKey => true;

    public override int Order => 20;
    public override string ElementId => "action-change-primary";
    public override string Icon => "SwapHoriz";
    public override string BarLabel(KeyActionTarget target) => "Change primary";
    public override bool AppliesTo(KeyActionTarget target) => target.IsMultiRegion && target.ReplicaCount > 0;

    public override string? Unavailable(RegionalKey primary) => Of<ReplicateKeyAction>().Unavailable(primary);


    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        new("newPrimary", ActionInputKind.Choice, "New primary Region")
        {
            ElementId = "new-primary", Options = target.ReplicaRegions,
            Help = "Only a Region holding a replica can become the primary.",
            // Opened from a replica's page, the Region being looked at is the one to promote.
            Initial = target.Key.Role == MultiRegionRole.Replica ? target.Key.Region : target.ReplicaRegions.FirstOrDefault(),
        },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new ChangePrimaryRegionRequest { KeyId = target.Key.KeyId, Region = target.Key.Region, NewPrimaryRegion = values.Text("newPrimary") ?? "" };
    }

    internal override void Validate(ChangePrimaryRegionRequest r, ActionValidation v)
    {
        if (KeyInputRules.CheckRegion(r.NewPrimaryRegion, v.Regions) is { } np) v.Add($"New primary Region: {np}");
    }

    internal override async Task PlanAsync(ActionPlanning p, ChangePrimaryRegionRequest r, CancellationToken ct)
    {
        if (await p.KeyAndPrimaryAsync(ct) is not (_, var primary)) return;
        var keyId = p.KeyId;
        var target = r.NewPrimaryRegion;
        if (target == primary.Region) { p.Refuse($"{target} already holds the primary."); return; }
        if (!primary.ReplicaRegions.Contains(target)) { p.Refuse($"{target} holds no replica of {keyId}: replicate there first."); return; }
        var replica = await p.Reader.DescribeAsync(target, keyId, ct);
        if (replica is null) { p.Refuse($"The replica in {target} was not found."); return; }
        if (!ActionPlanning.Settled(primary)) p.Refuse($"The primary in {primary.Region} is {primary.State}; it must be Enabled or Disabled.");
        if (!ActionPlanning.Settled(replica)) p.Refuse($"The replica in {target} is {replica.State}; it must be Enabled or Disabled.");
        if (!p.IsReady) return;
        await p.BlastRadiusAsync(primary, ct);
        await p.DependentsRadiusAsync(null, "depend on this key set (cryptography keeps working while the primary moves)", ct);
        p.Affects(target, keyId);
        p.Note($"The replica in {target} becomes the primary and the key in {primary.Region} a replica. Both show Updating until AWS is done: " +
               "cryptography keeps working, but enable, disable and replicate are refused meanwhile.");
        p.Note("Rotation is then managed in the new primary Region.");
        p.Call(primary.Region, "UpdatePrimaryRegion", $"KeyId={keyId}, PrimaryRegion={target}", $"Move the primary from {primary.Region} to {target}.",
            (kms, c) => kms.UpdatePrimaryRegionAsync(new Kms.UpdatePrimaryRegionRequest { KeyId = keyId, PrimaryRegion = target }, c));
    }
}
