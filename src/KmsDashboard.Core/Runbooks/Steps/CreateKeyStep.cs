using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 2: the new multi-Region primary in the old primary's Region, with the chosen description, key policy, tags and
/// rotation. The key is tagged with the runbook id, so a resumed step whose CreateKey answer was lost finds it.
/// </summary>
public sealed class CreateKeyStep : RunbookStep
{
    public const string StepName = "create";
    public const string RunbookTag = "kmsdashboard:runbook";
    public override string Name => StepName;
    public override string Title => "Create the new key";
    public override string Description => "Creates the new multi-Region primary in the old primary's Region, copying description, policy, tags and rotation.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var region = state.OldPrimaryRegion;
        var existing = await FindExistingAsync(context, state, cancellationToken);
        plan.Notes.Add($"Description: {state.NewDescription}");
        plan.Notes.Add($"Tags: {StepText.Tags(state.NewTags)} (plus {RunbookTag}={context.Runbook.Id}).");
        plan.Notes.Add($"Key policy: copied ({state.NewPolicy.Length} characters): {StepText.Shorten(state.NewPolicy.ReplaceLineEndings(" "))}");
        plan.Notes.Add(state.RotationEnabled ? $"Automatic rotation: on, every {state.RotationPeriodDays ?? 365} days." : "Automatic rotation: off (as on the old key).");
        if (existing is not null) plan.Notes.Add($"The new key {existing} already exists (made by this runbook); it is not created again.");
        else
            plan.Calls.Add(new RunbookPlannedCall(region, "CreateKey", $"MultiRegion=true, KeySpec={state.KeySpec}, Description={state.NewDescription}", "The new primary."));
        if (state.RotationEnabled)
        {
            var rotationOk = existing is not null && await RotationMatchesAsync(context, region, existing, state, cancellationToken);
            if (!rotationOk)
                plan.Calls.Add(new RunbookPlannedCall(region, "EnableKeyRotation", $"RotationPeriodInDays={state.RotationPeriodDays ?? 365}", "Rotation as on the old key."));
        }
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var region = state.OldPrimaryRegion;
        var keyId = await FindExistingAsync(context, state, cancellationToken);
        var made = false;
        if (keyId is null)
        {
            var response = await context.CallAsync(region, "CreateKey", $"MultiRegion=true, KeySpec={state.KeySpec}, tag {RunbookTag}={context.Runbook.Id}",
                (kms, ct) => kms.CreateKeyAsync(new CreateKeyRequest
                {
                    MultiRegion = true, KeySpec = state.KeySpec, KeyUsage = state.KeyUsage, Description = state.NewDescription, Policy = state.NewPolicy,
                    Tags = [.. state.NewTags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value }), new Tag { TagKey = RunbookTag, TagValue = context.Runbook.Id.ToString() }],
                }, ct), cancellationToken, r => $"Created {r.KeyMetadata.KeyId}.");
            keyId = response.KeyMetadata.KeyId;
            made = true;
        }
        var meta = await context.Reader.DescribeAsync(region, keyId, cancellationToken)
                   ?? throw new RunbookStepException($"The new key {keyId} cannot be found in {region}.");
        state.NewKeyId = keyId;
        state.NewArns[region] = meta.Arn;
        // Saved before anything else: a crash from here on resumes with the key known.
        await context.SaveStateAsync(cancellationToken);

        if (state.RotationEnabled && !await RotationMatchesAsync(context, region, keyId, state, cancellationToken))
            await context.CallAsync(region, "EnableKeyRotation", $"KeyId={keyId}, RotationPeriodInDays={state.RotationPeriodDays ?? 365}",
                (kms, ct) => kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = state.RotationPeriodDays ?? 365 }, ct), cancellationToken);
        context.Report(region, RegionResult.Done, made ? $"Created {keyId}." : $"{keyId} already existed.");
        return $"New primary {keyId} in {region}.";
    }

    private static async Task<bool> RotationMatchesAsync(StepContext context, string region, string keyId, KeySetRunbookState state, CancellationToken cancellationToken)
    {
        var status = await context.Reader.RotationStatusAsync(region, keyId, cancellationToken);
        return status.Enabled && status.PeriodDays == (state.RotationPeriodDays ?? 365);
    }

    /// <summary>
    /// The key this runbook already made: from the state, from a recorded CreateKey answer, or — when a CreateKey was
    /// sent and its answer lost in a crash — by looking for the key tagged with the runbook id.
    /// </summary>
    internal static async Task<string?> FindExistingAsync(StepContext context, KeySetRunbookState state, CancellationToken cancellationToken)
    {
        var region = state.OldPrimaryRegion;
        if (state.NewKeyId is { } known && await context.Reader.DescribeAsync(region, known, cancellationToken) is not null) return known;
        var creates = context.PreviousCalls.Where(c => c.Operation == "CreateKey").ToList();
        var answered = creates.Where(c => c.State == "Succeeded" && c.Message.StartsWith("Created mrk-", StringComparison.Ordinal))
            .Select(c => c.Message["Created ".Length..].TrimEnd('.')).LastOrDefault();
        if (answered is not null) return answered;
        if (!creates.Any(c => c.State == "Sent")) return null;
        return await FindTaggedAsync(context.Kms(region), context.Runbook.Id.ToString(), context.Runbook.CreatedAt, cancellationToken);
    }

    private static async Task<string?> FindTaggedAsync(IAmazonKeyManagementService kms, string runbookId, DateTime since, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = marker }, cancellationToken);
            foreach (var key in page.Keys ?? [])
            {
                if (!key.KeyId.StartsWith("mrk-", StringComparison.Ordinal)) continue;
                var meta = (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }, cancellationToken)).KeyMetadata;
                if (meta.CreationDate is { } created && created < since.AddMinutes(-5)) continue;
                var tags = await kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId }, cancellationToken);
                if ((tags.Tags ?? []).Any(t => t.TagKey == RunbookTag && t.TagValue == runbookId)) return key.KeyId;
            }
            marker = page.Truncated == true ? page.NextMarker : null;
        } while (marker is not null);
        return null;
    }
}
