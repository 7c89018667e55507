using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>Cancels the old key set's scheduled deletion in every Region where it is pending; the keys stay Disabled.</summary>
public sealed class CancelOldDeletionStep : RunbookStep
{
    public const string StepName = "cancel-deletion";
    public override string Name => StepName;
    public override string Title => "Cancel deletion of the old key set";
    public override string Description => "Cancels the pending deletion in every Region (the keys come back Disabled).";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        foreach (var region in state.OldRegions)
        {
            var key = await context.Reader.DescribeAsync(region, state.OldKeyId, cancellationToken);
            if (key?.IsPendingDeletion == true) plan.Calls.Add(new RunbookPlannedCall(region, "CancelKeyDeletion", $"KeyId={state.OldKeyId}", "Back to Disabled."));
            else plan.Notes.Add($"{region}: the old key is {key?.State ?? "gone (already deleted)"}; nothing to cancel.");
        }
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        foreach (var region in state.OldRegions)
        {
            try
            {
                var key = await context.Reader.DescribeAsync(region, state.OldKeyId, cancellationToken);
                if (key?.IsPendingDeletion != true) { context.Report(region, RegionResult.Done, $"{key?.State ?? "Gone"}; nothing to cancel."); continue; }
                await context.CallAsync(region, "CancelKeyDeletion", $"KeyId={state.OldKeyId}",
                    (kms, ct) => kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = state.OldKeyId }, ct), cancellationToken);
                context.Report(region, RegionResult.Done, "Deletion cancelled; Disabled.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        state.DeletionScheduledAt = null;
        await context.ReopenStepAsync(ScheduleOldDeletionStep.StepName, $"Deletion was cancelled by {context.User.Name}; the old key set is Disabled.", cancellationToken);
        return "Deletion cancelled; the old key set is Disabled.";
    }
}
