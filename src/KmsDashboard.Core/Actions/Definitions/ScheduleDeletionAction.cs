using Kms = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions.Definitions;

/// <summary>
/// Schedule a key's deletion after a 7–30 day waiting period; for a primary, the replicas chosen first, Region by Region.
/// Destructive: Admin, typed confirmation.
/// </summary>
public sealed class ScheduleDeletionAction : KeyAction<ScheduleDeletionRequest>
{
    public override string Name => "ScheduleDeletion";
    public override string Title => "Schedule deletion";
    public override bool IsDestructive => true;

    public override int Order => 90;
    public override string ElementId => "action-schedule-deletion";
    public override string Icon => "DeleteForever";
    public override bool AppliesTo(KeyActionTarget target) => !target.Key.IsPendingDeletion;

    public override IReadOnlyList<ActionInput> Inputs(KeyActionTarget target) =>
    [
        new("window", ActionInputKind.Number, "Waiting period (days)")
        {
            ElementId = "pending-window", Immediate = true,
            Min = KeyInputRules.MinPendingWindowDays, Max = KeyInputRules.MaxPendingWindowDays, Initial = KeyInputRules.DefaultPendingWindowDays,
            Help = $"{KeyInputRules.MinPendingWindowDays}–{KeyInputRules.MaxPendingWindowDays} days, default {KeyInputRules.DefaultPendingWindowDays}. The deletion can be cancelled until then.",
            Check = v => KeyInputRules.CheckPendingWindow(v is int days ? days : 0), ProblemElementId = "pending-window-error",
        },
        new("replicas", ActionInputKind.Regions, "Also schedule these replicas, Region by Region:")
        {
            ElementId = "replicas-to-schedule", OptionsFromPlan = true, OptionAttribute = "data-replica", Initial = Array.Empty<string>(),
        },
    ];

    public override KeyActionRequest? CreateRequest(KeyActionTarget target, ActionInputValues values, out string? inputError)
    {
        inputError = null;
        return new ScheduleDeletionRequest
        {
            KeyId = target.Key.KeyId, Region = target.Key.Region, PendingWindowInDays = values.Number("window"),
            AlsoScheduleReplicasIn = [.. values.Regions("replicas").Order(StringComparer.Ordinal)],
        };
    }

    internal override void Validate(ScheduleDeletionRequest r, ActionValidation v)
    {
        v.Add(KeyInputRules.CheckPendingWindow(r.PendingWindowInDays));
        v.CheckRegions(r.AlsoScheduleReplicasIn ?? [], "replica Region", required: false);
    }

    internal override async Task PlanAsync(ActionPlanning p, ScheduleDeletionRequest r, CancellationToken ct)
    {
        var (keyId, region) = (p.KeyId, p.Region);
        if (await p.KeyAsync(ct) is not { } key) return;
        if (key.IsPendingDeletion) { p.Refuse($"{keyId} in {region} already is {key.State}{(key.DeletionDate is { } d ? $", deleted on {d:yyyy-MM-dd}" : "")}."); return; }
        if (!ActionPlanning.Settled(key)) { p.Refuse($"{keyId} in {region} is {key.State}; wait until it is Enabled or Disabled."); return; }
        await p.BlastRadiusAsync(key, ct);

        var liveReplicas = new List<string>();
        var scheduledReplicas = new List<string>();
        if (key.IsPrimary)
        {
            foreach (var replicaRegion in key.ReplicaRegions)
            {
                try
                {
                    var replica = await p.Reader.DescribeAsync(replicaRegion, keyId, ct);
                    if (replica is { IsPendingDeletion: false }) liveReplicas.Add(replicaRegion);
                    else if (replica is not null) scheduledReplicas.Add(replicaRegion);
                }
                catch (Exception ex) when (ActionPlanning.IsReadFailure(ex))
                {
                    liveReplicas.Add(replicaRegion);
                    p.Note($"The replica in {replicaRegion} could not be read ({ActionPlanning.Describe(ex)}); it is counted as live.");
                }
            }
        }
        p.Plan.ReplicaRegions = liveReplicas;
        foreach (var asked in r.AlsoScheduleReplicasIn)
        {
            // Already scheduled (an earlier, partial run of this action): planned again, only what is missing is sent.
            if (scheduledReplicas.Contains(asked)) p.Note($"The replica in {asked} already is pending deletion: nothing to do there.");
            else if (!liveReplicas.Contains(asked)) p.Refuse($"{asked} holds no replica of {keyId} that could be scheduled for deletion.");
        }
        if (!p.IsReady) return;
        var replicasToSchedule = r.AlsoScheduleReplicasIn.Where(liveReplicas.Contains).ToList();
        await p.DependentsRadiusAsync([region, .. replicasToSchedule], Dependents.BlastRadius.LoseAccess, ct);

        var remaining = liveReplicas.Except(r.AlsoScheduleReplicasIn).ToList();
        var date = p.Now.AddDays(r.PendingWindowInDays);
        if (key.IsReplica)
            p.Note($"Only the replica in {region} is deleted; the primary in {key.PrimaryRegion} and the other replicas keep working.");
        if (remaining.Count > 0)
            p.Note($"This primary still has replicas in {string.Join(", ", remaining)}. AWS puts it in PendingReplicaDeletion: its {r.PendingWindowInDays}-day " +
                   "waiting period starts only when its last replica is deleted, which may never happen. Schedule the replicas too to let it complete.");
        else
            p.Note($"{keyId} in {region} becomes PendingDeletion and is deleted on about {date:yyyy-MM-dd} ({r.PendingWindowInDays} days), unless the deletion is cancelled. " +
                   "Once deleted, data encrypted under it can never be decrypted.");
        foreach (var replicaRegion in replicasToSchedule)
        {
            p.Affects(replicaRegion, keyId);
            var days = r.PendingWindowInDays;
            p.Call(replicaRegion, "ScheduleKeyDeletion", $"KeyId={keyId}, PendingWindowInDays={days}", $"Schedule the replica in {replicaRegion} for deletion.",
                (kms, c) => kms.ScheduleKeyDeletionAsync(new Kms.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = days }, c));
        }
        p.Call(region, "ScheduleKeyDeletion", $"KeyId={keyId}, PendingWindowInDays={r.PendingWindowInDays}", $"Schedule the key in {region} for deletion.",
            (kms, c) => kms.ScheduleKeyDeletionAsync(new Kms.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = r.PendingWindowInDays }, c),
            dependsOnEarlierCalls: true);
    }
}
