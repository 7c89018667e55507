using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 9 (Admin, typed confirmation): schedules deletion of the old key set, replicas first one Region at a time and the
/// primary last, so the primary's own window starts when its replicas are gone instead of waiting unnoticed.
/// </summary>
public sealed class ScheduleOldDeletionStep : RunbookStep
{
    public const string StepName = "schedule-deletion";
    public override string Name => StepName;
    public override string Title => "Schedule deletion of the old key set";
    public override string Description => "Schedules deletion (7–30 days) of the replicas first, then the primary; can be cancelled from the runbook.";
    public override string Policy => DashboardPolicies.CanAdminister;
    public override bool RequiresTypedConfirmation => true;
    public override bool RequiresApproval => true;

    public override IReadOnlyList<RunbookStepInput> Inputs { get; } =
    [
        new(RunbookStepOptions.PendingWindowDaysKey, "Deletion window (days)", $"{KeyInputRules.MinPendingWindowDays}–{KeyInputRules.MaxPendingWindowDays} days.")
        {
            Min = KeyInputRules.MinPendingWindowDays, Max = KeyInputRules.MaxPendingWindowDays, Default = KeyInputRules.DefaultPendingWindowDays,
        },
    ];

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var days = plan.Options.PendingWindowDays ?? KeyInputRules.DefaultPendingWindowDays;
        if (KeyInputRules.CheckPendingWindow(days) is { } bad)
        {
            plan.Status = PlanStatus.Invalid;
            plan.Problems.Add(bad);
            return;
        }
        if (state.WaitUntil is { } until && until > context.Now)
            plan.Refuse($"The waiting period after disabling runs until {until:yyyy-MM-dd HH:mm} UTC: deletion can be scheduled after it.");
        plan.ConfirmationTexts.Add(state.OldKeyId);
        foreach (var region in Order(state))
        {
            var key = await context.Reader.DescribeAsync(region, state.OldKeyId, cancellationToken);
            if (key is null) plan.Notes.Add($"{region}: the old key is gone.");
            else if (key.IsPendingDeletion) plan.Notes.Add($"{region}: already {key.State}.");
            else
            {
                if (key.State == "Enabled") plan.Warnings.Add($"The old key is still Enabled in {region}.");
                plan.Calls.Add(new RunbookPlannedCall(region, "ScheduleKeyDeletion", $"KeyId={state.OldKeyId}, PendingWindowInDays={days}",
                    region == state.OldPrimaryRegion ? "The primary, last." : "A replica, before the primary."));
            }
        }
        if (state.ReplicaRegions.Any())
            plan.Notes.Add($"The primary in {state.OldPrimaryRegion} shows PendingReplicaDeletion until its replicas are deleted ({days} days), then its own {days}-day window starts: the whole set is gone in about {2 * days} days.");
        plan.Notes.Add("Until each key is deleted, \"Cancel deletion\" on this runbook brings it back (Disabled).");
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var days = plan.Options.PendingWindowDays ?? KeyInputRules.DefaultPendingWindowDays;
        var replicaFailed = false;
        foreach (var region in Order(state))
        {
            if (region == state.OldPrimaryRegion && replicaFailed)
            {
                context.Report(region, RegionResult.Failed, "Not scheduled: a replica failed, and the primary would wait in PendingReplicaDeletion. Run the step again.");
                continue;
            }
            try
            {
                var key = await context.Reader.DescribeAsync(region, state.OldKeyId, cancellationToken);
                if (key is null) { context.Report(region, RegionResult.Skipped, "The old key is gone."); continue; }
                if (key.IsPendingDeletion) { context.Report(region, RegionResult.Done, $"Already {key.State}."); continue; }
                var response = await context.CallAsync(region, "ScheduleKeyDeletion", $"KeyId={state.OldKeyId}, PendingWindowInDays={days}",
                    (kms, ct) => kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = state.OldKeyId, PendingWindowInDays = days }, ct), cancellationToken);
                context.Report(region, RegionResult.Done, response.DeletionDate is { } at ? $"{response.KeyState}; deleted on {at:yyyy-MM-dd}." : $"{response.KeyState}.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                replicaFailed |= region != state.OldPrimaryRegion;
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        state.DeletionScheduledAt = context.Now;
        state.PendingWindowDays = days;
        return $"Deletion scheduled with a {days}-day window, replicas first.";
    }

    /// <summary>Replicas first, in name order, then the primary.</summary>
    internal static IEnumerable<string> Order(KeySetRunbookState state) =>
        state.ReplicaRegions.Order(StringComparer.Ordinal).Append(state.OldPrimaryRegion);
}
