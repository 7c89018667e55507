using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Re-enables the old key set where it is Disabled: during the waiting period (an extra step; step 8 then waits to be
/// run again) or as part of a rollback.
/// </summary>
public sealed class ReenableOldStep : RunbookStep
{
    public const string StepName = "reenable-old";
    public override string Name => StepName;
    public override string Title => "Re-enable the old key set";
    public override string Description => "Enables the old key again in every Region where it is Disabled.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        foreach (var region in state.OldRegions)
        {
            var key = await context.Reader.DescribeAsync(region, state.OldKeyId, cancellationToken);
            if (key?.State == "Disabled") plan.Calls.Add(new RunbookPlannedCall(region, "EnableKey", $"KeyId={state.OldKeyId}", "The old key works again."));
            else plan.Notes.Add($"{region}: the old key is {key?.State ?? "gone"}; nothing to do.");
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
                if (key?.State != "Disabled") { context.Report(region, RegionResult.Done, $"{key?.State ?? "Gone"}; nothing to do."); continue; }
                await context.CallAsync(region, "EnableKey", $"KeyId={state.OldKeyId}",
                    (kms, ct) => kms.EnableKeyAsync(new EnableKeyRequest { KeyId = state.OldKeyId }, ct), cancellationToken);
                context.Report(region, RegionResult.Done, "Enabled.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        state.DisabledAt = null;
        state.WaitUntil = null;
        if (context.Step.Phase == RunbookPhases.Extra)
            await context.ReopenStepAsync(DisableOldStep.StepName, $"The old key set was re-enabled by {context.User.Name}: disable it again when ready.", cancellationToken);
        return "Old key set re-enabled.";
    }
}
