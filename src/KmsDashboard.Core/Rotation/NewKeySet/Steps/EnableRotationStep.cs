using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Core.Rotation.NewKeySet.Steps;

/// <summary>Step 4: automatic rotation on, with the chosen period, on the primary (every replica follows).</summary>
public sealed class EnableRotationStep : RunbookStep
{
    public const string StepName = "rotation";
    public override string Name => StepName;
    public override string Title => "Turn on automatic rotation";
    public override string Description => "Turns on automatic rotation on the primary with the chosen period; the replicas follow.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        if (state.KeyId is not { } keyId) { plan.Refuse("The primary does not exist yet: run step 1 first."); return; }
        var status = await context.Reader.RotationStatusAsync(state.PrimaryRegion, keyId, cancellationToken);
        if (status.Enabled && status.PeriodDays == state.RotationPeriodDays) plan.Notes.Add($"It already rotates every {state.RotationPeriodDays} days.");
        else plan.Calls.Add(new RunbookPlannedCall(state.PrimaryRegion, "EnableKeyRotation", $"KeyId={keyId}, RotationPeriodInDays={state.RotationPeriodDays}", "Automatic rotation for the whole set."));
        plan.Notes.Add($"The first rotation falls about {context.Now.AddDays(state.RotationPeriodDays):yyyy-MM-dd}; it and the second add $1.00 USD a month per key and replica.");
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        var keyId = state.KeyId ?? throw new RunbookStepException("The primary does not exist yet: run step 1 first.");
        var status = await context.Reader.RotationStatusAsync(state.PrimaryRegion, keyId, cancellationToken);
        if (!(status.Enabled && status.PeriodDays == state.RotationPeriodDays))
            await context.CallAsync(state.PrimaryRegion, "EnableKeyRotation", $"KeyId={keyId}, RotationPeriodInDays={state.RotationPeriodDays}",
                (kms, ct) => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = state.RotationPeriodDays }, ct), cancellationToken);
        context.Report(state.PrimaryRegion, RegionResult.Done, $"Rotates every {state.RotationPeriodDays} days.");
        return $"Automatic rotation every {state.RotationPeriodDays} days.";
    }
}
