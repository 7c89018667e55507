using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Rollback (Admin, typed confirmation): schedules deletion (7 days, replicas first) of the new key set — only if nothing
/// but the runbook's own checks ever used it; otherwise it is kept and the step says why.
/// </summary>
public sealed class RetireNewKeyStep : RunbookStep
{
    public const string StepName = "delete-new-key";
    public const int PendingWindowDays = 7;
    public override string Name => StepName;
    public override string Title => "Schedule deletion of the unused new key";
    public override string Description => "If the new key was never used (besides the runbook's checks), schedules its deletion, replicas first.";
    public override string Policy => DashboardPolicies.CanAdminister;
    public override bool RequiresTypedConfirmation => true;

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is not { } keyId) { plan.Notes.Add("No new key was made: nothing to delete."); return; }
        plan.ConfirmationTexts.Add(keyId);
        var aliases = new List<string>();
        foreach (var region in state.OldRegions)
            aliases.AddRange((await context.Reader.AliasesAsync(region, cancellationToken)).Where(a => a.TargetKeyId == keyId).Select(a => $"{a.Name} in {region}"));
        if (aliases.Count > 0) { plan.Refuse($"Aliases still point at the new key: {string.Join(", ", aliases)}. Move them back first."); return; }

        var use = await KeyUseCheck.ReadAsync(context, state.NewArns, Window(context), keyId, null, cancellationToken);
        if (use.AnyError || use.Others > 0)
        {
            plan.Notes.Add(use.AnyError
                ? "CloudWatch could not be read in every Region, so the new key is kept (its deletion is not scheduled)."
                : $"The new key was used {use.Others:0} times besides the runbook's checks, so it is kept: decide about it by hand.");
            plan.Notes.AddRange(use.Regions.Select(r => KeyUseCheck.Describe(r, "")));
            return;
        }
        foreach (var region in ScheduleOldDeletionStep.Order(state))
        {
            var key = await context.Reader.DescribeAsync(region, keyId, cancellationToken);
            if (key is null || key.IsPendingDeletion) plan.Notes.Add($"{region}: the new key is {key?.State ?? "not there"}.");
            else plan.Calls.Add(new RunbookPlannedCall(region, "ScheduleKeyDeletion", $"KeyId={keyId}, PendingWindowInDays={PendingWindowDays}", "Never used: removed."));
        }
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is not { } keyId || plan.Calls.Count == 0) return plan.Notes.FirstOrDefault() ?? "Nothing to delete.";
        foreach (var region in ScheduleOldDeletionStep.Order(state))
        {
            try
            {
                var key = await context.Reader.DescribeAsync(region, keyId, cancellationToken);
                if (key is null || key.IsPendingDeletion) { context.Report(region, RegionResult.Done, $"{key?.State ?? "Not there"}."); continue; }
                await context.CallAsync(region, "ScheduleKeyDeletion", $"KeyId={keyId}, PendingWindowInDays={PendingWindowDays}",
                    (kms, ct) => kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = PendingWindowDays }, ct), cancellationToken);
                context.Report(region, RegionResult.Done, "Deletion scheduled.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        return $"Deletion of the unused new key {keyId} scheduled ({PendingWindowDays} days).";
    }

    /// <summary>Since the new key was made (at least an hour, the shortest window read).</summary>
    private static TimeSpan Window(StepContext context)
    {
        var since = context.Now - new DateTimeOffset(DateTime.SpecifyKind(context.Runbook.CreatedAt, DateTimeKind.Utc));
        return since < TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : since > TimeSpan.FromDays(400) ? TimeSpan.FromDays(400) : since;
    }
}
