using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Core.Rotation.NewKeySet.Steps;

/// <summary>
/// Step 3: the alias in every Region of the set (AWS does not copy aliases to replicas), each verified by DescribeKey on
/// the alias. An alias already pointing at another key is left alone and reported: it belongs to someone else.
/// </summary>
public sealed class CreateAliasesStep : RunbookStep
{
    public const string StepName = "aliases";
    public override string Name => StepName;
    public override string Title => "Create the alias in every Region";
    public override string Description => "Creates the alias in each Region of the set and checks it resolves to the new key there.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        if (state.KeyId is not { } keyId) { plan.Refuse("The primary does not exist yet: run step 1 first."); return; }
        foreach (var region in state.Regions)
        {
            try
            {
                var target = await TargetAsync(context, region, state.AliasName, cancellationToken);
                if (target is null)
                    plan.Calls.Add(new RunbookPlannedCall(region, "CreateAlias", $"AliasName={state.AliasName}, TargetKeyId={keyId}", $"{state.AliasName} in {region}."));
                else if (target == keyId) plan.Notes.Add($"{region}: {state.AliasName} already points at the key.");
                else plan.Warnings.Add($"{region}: {state.AliasName} points at another key ({target}); it is left alone and the Region reported as failed.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                plan.Warnings.Add($"{region} could not be read ({StepContext.Describe(ex)}): it will be reported as failed and can be retried.");
            }
        }
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        var keyId = state.KeyId ?? throw new RunbookStepException("The primary does not exist yet: run step 1 first.");
        foreach (var region in state.Regions)
        {
            try
            {
                var target = await TargetAsync(context, region, state.AliasName, cancellationToken);
                if (target is not null && target != keyId)
                {
                    context.Report(region, RegionResult.Failed, $"{state.AliasName} points at {target} there; choose another alias or move it first.");
                    continue;
                }
                if (target is null)
                    await context.CallAsync(region, "CreateAlias", $"AliasName={state.AliasName}, TargetKeyId={keyId}",
                        (kms, ct) => kms.CreateAliasAsync(new CreateAliasRequest { AliasName = state.AliasName, TargetKeyId = keyId }, ct), cancellationToken);
                var resolved = (await context.Kms(region).DescribeKeyAsync(new DescribeKeyRequest { KeyId = state.AliasName }, cancellationToken)).KeyMetadata.KeyId;
                context.Report(region, resolved == keyId ? RegionResult.Done : RegionResult.Failed,
                    resolved == keyId ? $"{state.AliasName} resolves to {keyId}." : $"{state.AliasName} resolves to {resolved}, not {keyId}.");
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        return $"{state.AliasName} in {context.Regions.Count(r => r.State == RegionResult.Done)} of {state.Regions.Count()} Regions.";
    }

    private static async Task<string?> TargetAsync(StepContext context, string region, string alias, CancellationToken cancellationToken) =>
        (await context.Reader.AliasesAsync(region, cancellationToken)).FirstOrDefault(a => a.Name == alias) is { Name: not null } found ? found.TargetKeyId ?? "" : null;
}
