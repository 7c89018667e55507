using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Core.Rotation.NewKeySet.Steps;

/// <summary>
/// Step 2: a replica in each chosen Region with the same description, tags and policy (so the set starts without drift);
/// waits until each leaves Creating. A Region that fails is reported and left for a retry; the others go on.
/// </summary>
public sealed class ReplicateNewKeyStep : RunbookStep
{
    public const string StepName = "replicate";
    public override string Name => StepName;
    public override string Title => "Replicate into the chosen Regions";
    public override string Description => "Replicates the primary into each replica Region with the same description, tags and policy, and waits until each is Enabled.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        if (state.KeyId is not { } keyId) { plan.Refuse("The primary does not exist yet: run step 1 first."); return; }
        if (state.ReplicaRegions.Count == 0) plan.Notes.Add("No replica Region was chosen: nothing to replicate.");
        foreach (var region in state.ReplicaRegions)
        {
            try
            {
                var replica = await context.Reader.DescribeAsync(region, keyId, cancellationToken);
                if (replica is null)
                    plan.Calls.Add(new RunbookPlannedCall(state.PrimaryRegion, "ReplicateKey", $"KeyId={keyId}, ReplicaRegion={region}, Policy, Description, Tags as the primary's", $"A replica in {region}."));
                else plan.Notes.Add($"{region}: the replica exists ({replica.State}).");
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
        // The primary's own tags (the runbook tag included), so no replica drifts from it.
        var tags = await context.Reader.TagsAsync(state.PrimaryRegion, keyId, cancellationToken);
        var waiting = new List<string>();
        foreach (var region in state.ReplicaRegions)
        {
            try
            {
                if (await context.Reader.DescribeAsync(region, keyId, cancellationToken) is null)
                    await context.CallAsync(state.PrimaryRegion, "ReplicateKey", $"KeyId={keyId}, ReplicaRegion={region}",
                        (kms, ct) => kms.ReplicateKeyAsync(new ReplicateKeyRequest
                        {
                            KeyId = keyId, ReplicaRegion = region, Policy = state.Policy, Description = state.Description,
                            Tags = [.. tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value })],
                        }, ct), cancellationToken);
                waiting.Add(region);
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }

        await context.WaitForReplicasAsync(keyId, waiting, cancellationToken);
        return $"{context.Regions.Count(r => r.State == RegionResult.Done)} of {state.ReplicaRegions.Count} replicas ready.";
    }
}
