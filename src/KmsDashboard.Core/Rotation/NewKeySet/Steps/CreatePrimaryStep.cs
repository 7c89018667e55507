using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Runbooks.Steps;

namespace KmsDashboard.Core.Rotation.NewKeySet.Steps;

/// <summary>
/// Step 1: the multi-Region primary with the chosen description, tags and the policy shown before the start. It is
/// tagged with the runbook id, so a resumed step whose CreateKey answer was lost finds the key instead of making another.
/// </summary>
public sealed class CreatePrimaryStep : RunbookStep
{
    public const string StepName = "create-primary";
    public override string Name => StepName;
    public override string Title => "Create the primary";
    public override string Description => "Creates the multi-Region primary key with the description, tags and key policy shown.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        plan.Notes.Add($"Description: \"{state.Description}\".");
        plan.Notes.Add($"Tags: {string.Join(", ", state.Tags.Select(t => $"{t.Key}={t.Value}"))} (plus {CreateKeyStep.RunbookTag}={context.Runbook.Id}).");
        plan.Notes.Add($"Key policy: the least-privilege template shown when the runbook started ({state.Policy.Length} characters).");
        if (await FindExistingAsync(context, state, cancellationToken) is { } existing)
            plan.Notes.Add($"The key {existing} already exists (made by this runbook); it is not created again.");
        else
            plan.Calls.Add(new RunbookPlannedCall(state.PrimaryRegion, "CreateKey", $"MultiRegion=true, KeySpec=SYMMETRIC_DEFAULT, Description=\"{state.Description}\"", "The primary."));
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<NewKeySetState>();
        var region = state.PrimaryRegion;
        var keyId = await FindExistingAsync(context, state, cancellationToken);
        var made = keyId is null;
        if (keyId is null)
        {
            var response = await context.CallAsync(region, "CreateKey", $"MultiRegion=true, tag {CreateKeyStep.RunbookTag}={context.Runbook.Id}",
                (kms, ct) => kms.CreateKeyAsync(new CreateKeyRequest
                {
                    MultiRegion = true, KeySpec = "SYMMETRIC_DEFAULT", KeyUsage = "ENCRYPT_DECRYPT", Description = state.Description, Policy = state.Policy,
                    Tags = [.. state.Tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value }), new Tag { TagKey = CreateKeyStep.RunbookTag, TagValue = context.Runbook.Id.ToString() }],
                }, ct), cancellationToken, r => $"Created {r.KeyMetadata.KeyId}.");
            keyId = response.KeyMetadata.KeyId;
        }
        state.KeyId = keyId;
        // Saved before anything else: a crash from here on resumes with the key known.
        await context.SaveStateAsync(cancellationToken);
        context.Report(region, RegionResult.Done, made ? $"Created {keyId}." : $"{keyId} already existed.");
        return $"Primary {keyId} in {region}.";
    }

    /// <summary>The key this runbook made: from the state, a recorded CreateKey answer, or — answer lost — the key tagged with the runbook id.</summary>
    private static async Task<string?> FindExistingAsync(StepContext context, NewKeySetState state, CancellationToken cancellationToken)
    {
        if (state.KeyId is { } known) return known;
        var creates = context.PreviousCalls.Where(c => c.Operation == "CreateKey").ToList();
        var answered = creates.Where(c => c.State == "Succeeded" && c.Message.StartsWith("Created mrk-", StringComparison.Ordinal))
            .Select(c => c.Message["Created ".Length..].TrimEnd('.')).LastOrDefault();
        if (answered is not null) return answered;
        if (!creates.Any(c => c.State == "Sent")) return null;
        return await FindTaggedAsync(context.Kms(state.PrimaryRegion), context.Runbook.Id.ToString(), cancellationToken);
    }

    private static async Task<string?> FindTaggedAsync(IAmazonKeyManagementService kms, string runbookId, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = marker }, cancellationToken);
            foreach (var key in (page.Keys ?? []).Where(k => k.KeyId.StartsWith("mrk-", StringComparison.Ordinal)))
            {
                var tags = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId }, cancellationToken);
                if ((tags.Tags ?? []).Any(t => t.TagKey == CreateKeyStep.RunbookTag && t.TagValue == runbookId)) return key.KeyId;
            }
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return null;
    }
}
