using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 8 (Admin, typed confirmation): disables the old key in every Region, then a waiting period the operator sets
/// during which anything still using it fails loudly; it can be re-enabled from the runbook.
/// </summary>
public sealed class DisableOldStep : RunbookStep
{
    public const string StepName = "disable";
    public const int DefaultWaitingDays = 7, MaxWaitingDays = 90;
    public override string Name => StepName;
    public override string Title => "Disable the old key set";
    public override string Description => "Disables the old key in every Region (reversible), then waits the days you set before deletion may be scheduled.";
    public override string Policy => DashboardPolicies.CanAdminister;
    public override bool RequiresTypedConfirmation => true;
    public override bool RequiresApproval => true;

    public override IReadOnlyList<RunbookStepInput> Inputs { get; } =
    [
        new(RunbookStepOptions.WaitingDaysKey, "Waiting period (days)", "Before deletion may be scheduled; re-enable from here meanwhile.")
        {
            Min = 0, Max = MaxWaitingDays, Default = DefaultWaitingDays,
        },
    ];

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var days = plan.Options.WaitingDays ?? DefaultWaitingDays;
        if (days is < 0 or > MaxWaitingDays)
        {
            plan.Status = Actions.PlanStatus.Invalid;
            plan.Problems.Add($"The waiting period must be 0–{MaxWaitingDays} days.");
            return;
        }
        plan.ConfirmationTexts.Add(state.OldKeyId);
        if (state.NewKeyId is not null)
        {
            foreach (var alias in state.Aliases)
            {
                var target = (await context.Reader.DescribeAsync(alias.Region, alias.AliasName, cancellationToken))?.KeyId;
                if (target == state.OldKeyId) plan.Refuse($"{alias.AliasName} in {alias.Region} still points at the old key: move it (step 4) before disabling.");
            }
        }
        foreach (var region in state.OldRegions)
        {
            var key = await context.Reader.DescribeAsync(region, state.OldKeyId, cancellationToken);
            if (key is null) plan.Notes.Add($"{region}: the old key is gone.");
            else if (key.State == "Enabled")
                plan.Calls.Add(new RunbookPlannedCall(region, "DisableKey", $"KeyId={state.OldKeyId}", "Anything still using it fails from now on."));
            else plan.Notes.Add($"{region}: the old key is {key.State}; nothing to do.");
        }
        plan.Notes.Add(days == 0
            ? "No waiting period: deletion may be scheduled at once."
            : $"Then a waiting period of {days} days, until {context.Now.AddDays(days):yyyy-MM-dd HH:mm} UTC: watch for failures, re-enable from this runbook if needed.");
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        foreach (var region in state.OldRegions)
        {
            try
            {
                var key = await context.Reader.DescribeAsync(region, state.OldKeyId, cancellationToken);
                if (key is null) { context.Report(region, RegionResult.Skipped, "The old key is gone."); continue; }
                if (key.State != "Enabled") { context.Report(region, key.State == "Disabled" ? RegionResult.Done : RegionResult.Skipped, $"Already {key.State}."); continue; }
                await context.CallAsync(region, "DisableKey", $"KeyId={state.OldKeyId}",
                    (kms, ct) => kms.DisableKeyAsync(new DisableKeyRequest { KeyId = state.OldKeyId }, ct), cancellationToken);
                context.Report(region, RegionResult.Done, "Disabled.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        var days = plan.Options.WaitingDays ?? DefaultWaitingDays;
        state.DisabledAt = context.Now;
        state.WaitUntil = context.Now.AddDays(days);
        return $"Old key set disabled; waiting until {state.WaitUntil:yyyy-MM-dd HH:mm} UTC before deletion may be scheduled.";
    }
}
