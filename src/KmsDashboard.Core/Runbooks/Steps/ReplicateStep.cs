using Amazon.KeyManagementService.Model;
using KeyFacts = KmsDashboard.Core.Actions.KeyFacts;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 3: a replica of the new key in every Region of the old set, with the new primary's description, policy and tags;
/// waits until each leaves Creating. A Region that fails is reported and left for a retry; the others go on.
/// </summary>
public sealed class ReplicateStep : RunbookStep
{
    public const string StepName = "replicate";
    public override string Name => StepName;
    public override string Title => "Replicate into every Region";
    public override string Description => "Replicates the new key into each Region of the old key set and waits until each replica leaves Creating.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is not { } keyId) { plan.Refuse("The new key does not exist yet: run step 2 first."); return; }
        foreach (var region in state.ReplicaRegions)
        {
            KeyFacts? replica;
            try { replica = await context.Reader.DescribeAsync(region, keyId, cancellationToken); }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                plan.Warnings.Add($"{region} could not be read ({StepContext.Describe(ex)}): it will be reported as failed and can be retried.");
                continue;
            }
            if (replica is null)
                plan.Calls.Add(new RunbookPlannedCall(state.OldPrimaryRegion, "ReplicateKey", $"KeyId={keyId}, ReplicaRegion={region}", $"A replica in {region}."));
            else plan.Notes.Add($"{region}: the replica exists ({replica.State}).");
        }
        if (!state.ReplicaRegions.Any()) plan.Notes.Add("The old key set has no replicas: nothing to replicate.");
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var keyId = state.NewKeyId ?? throw new RunbookStepException("The new key does not exist yet: run step 2 first.");
        var primary = state.OldPrimaryRegion;
        var policy = await context.Reader.PolicyAsync(primary, keyId, cancellationToken);
        var tags = await context.Reader.TagsAsync(primary, keyId, cancellationToken);
        var description = (await context.Reader.DescribeAsync(primary, keyId, cancellationToken))?.Description ?? state.NewDescription;
        var waiting = new List<string>();
        foreach (var region in state.ReplicaRegions)
        {
            try
            {
                var replica = await context.Reader.DescribeAsync(region, keyId, cancellationToken);
                if (replica is null)
                {
                    var response = await context.CallAsync(primary, "ReplicateKey", $"KeyId={keyId}, ReplicaRegion={region}",
                        (kms, ct) => kms.ReplicateKeyAsync(new ReplicateKeyRequest
                        {
                            KeyId = keyId, ReplicaRegion = region, Policy = policy, Description = description,
                            Tags = [.. tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value })],
                        }, ct), cancellationToken);
                    state.NewArns[region] = response.ReplicaKeyMetadata.Arn;
                }
                else state.NewArns[region] = replica.Arn;
                waiting.Add(region);
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        await context.SaveStateAsync(cancellationToken);

        await context.WaitForReplicasAsync(keyId, waiting, cancellationToken);
        var done = context.Regions.Count(r => r.State == RegionResult.Done);
        return $"{done} of {state.ReplicaRegions.Count()} replicas ready.";
    }
}
