using System.Security.Cryptography;
using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 1: confirms the old key set and the aliases to move, warns about callers that name the key id or ARN (they will
/// not follow the alias), and makes a test ciphertext under the old key that step 5 decrypts again.
/// </summary>
public sealed class ChooseStep : RunbookStep
{
    public const string StepName = "choose";
    public override string Name => StepName;
    public override string Title => "Choose the key set and aliases";
    public override string Description => "Re-reads the old key set and its aliases, looks in CloudTrail for callers that use the key id, and stores a test ciphertext.";

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var (primary, members, problems) = await KeySetReader.ReadAsync(context.Reader, context.ConfiguredRegions, state.OldKeyId, cancellationToken);
        foreach (var p in problems) plan.Refuse(p);
        if (primary is null) return;
        foreach (var m in members.Where(m => m.State != "Enabled")) plan.Refuse($"The old key is {m.State} in {m.Region}.");
        var current = await KeySetReader.AliasesAsync(context.Reader, members.Select(m => m.Region), state.OldKeyId, cancellationToken);
        foreach (var a in state.Aliases.Where(a => !current.Contains(a))) plan.Refuse($"{a.AliasName} in {a.Region} no longer points at {state.OldKeyId}.");
        plan.Notes.Add($"Old key set {state.OldKeyId}: primary in {primary.Region}, replicas in {(primary.ReplicaRegions.Count == 0 ? "no other Region" : string.Join(", ", primary.ReplicaRegions))}.");
        plan.Notes.Add("Aliases to move: " + string.Join("; ", state.Aliases.Select(a => $"{a.AliasName} in {a.Region}")) + ".");
        foreach (var other in current.Where(a => !state.Aliases.Contains(a)))
            plan.Warnings.Add($"{other.AliasName} in {other.Region} also points at the old key and will NOT be moved.");

        var callers = await KeyCallers.ReadAsync(context, state.OldArns, context.Now.AddDays(-7), cancellationToken);
        plan.Warnings.AddRange(callers.Direct);
        plan.Notes.AddRange(callers.Callers.Select(c => "Caller in the last 7 days: " + c));
        plan.Notes.AddRange(callers.Notes);
        if (callers.Callers.Count == 0) plan.Notes.Add("CloudTrail shows no cryptographic calls on the old key in the last 7 days.");
        plan.Notes.AddRange(await ReencryptS3Step.DescribeDependentsAsync(context, state, cancellationToken));
        if (state.ProbeCiphertext is null)
            plan.Calls.Add(new RunbookPlannedCall(state.OldPrimaryRegion, "Encrypt", $"KeyId={state.OldKeyId}, 32 random bytes",
                "A test ciphertext under the old key; step 5 checks it still decrypts."));
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        state.DirectCallers = [.. plan.Warnings];
        if (state.ProbeCiphertext is null)
        {
            var plaintext = RandomNumberGenerator.GetBytes(32);
            var response = await context.CallAsync(state.OldPrimaryRegion, "Encrypt", $"KeyId={state.OldKeyId} (test ciphertext)",
                (kms, ct) => kms.EncryptAsync(new EncryptRequest { KeyId = state.OldKeyId, Plaintext = new MemoryStream(plaintext) }, ct), cancellationToken);
            state.ProbeCiphertext = Convert.ToBase64String(response.CiphertextBlob.ToArray());
            state.ProbeDigest = Convert.ToHexString(SHA256.HashData(plaintext));
            await context.SaveStateAsync(cancellationToken);
        }
        foreach (var region in state.OldRegions)
            context.Report(region, RegionResult.Done, $"{state.Aliases.Count(a => a.Region == region)} alias(es) to move.");
        return $"Key set {state.OldKeyId} in {state.OldRegions.Count} Regions; {state.Aliases.Count} aliases to move; {state.DirectCallers.Count} warnings.";
    }
}
