using System.Security.Cryptography;
using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 5: in every Region, Encrypt through the alias must be answered by the new key and decrypt again; the test
/// ciphertext made under the old key at step 1 must still decrypt (under the old key).
/// </summary>
public sealed class VerifyStep : RunbookStep
{
    public const string StepName = "verify";
    public override string Name => StepName;
    public override string Title => "Verify in every Region";
    public override string Description => "Encrypt with the alias and decrypt in every Region (the new key answers); the old test ciphertext still decrypts.";

    public override Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is null) { plan.Refuse("The new key does not exist yet: run step 2 first."); return Task.CompletedTask; }
        foreach (var region in state.OldRegions)
        {
            var name = state.AliasIn(region) ?? state.NewKeyId;
            plan.Calls.Add(new RunbookPlannedCall(region, "Encrypt", $"KeyId={name}, 32 random bytes", $"Must be answered by {state.NewKeyId}."));
            plan.Calls.Add(new RunbookPlannedCall(region, "Decrypt", "the ciphertext just made", "Must give the bytes back."));
            if (state.ProbeCiphertext is not null)
                plan.Calls.Add(new RunbookPlannedCall(region, "Decrypt", "the step 1 test ciphertext", $"Old ciphertext must still decrypt under {state.OldKeyId}."));
        }
        if (state.ProbeCiphertext is null) plan.Warnings.Add("No test ciphertext from step 1: old ciphertext is not checked.");
        return Task.CompletedTask;
    }

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var newKeyId = state.NewKeyId ?? throw new RunbookStepException("The new key does not exist yet: run step 2 first.");
        foreach (var region in state.OldRegions)
        {
            var name = state.AliasIn(region) ?? newKeyId;
            try
            {
                var plaintext = RandomNumberGenerator.GetBytes(32);
                var encrypted = await context.CallAsync(region, "Encrypt", $"KeyId={name}, expecting {newKeyId} (new key check)",
                    (kms, ct) => kms.EncryptAsync(new EncryptRequest { KeyId = name, Plaintext = new MemoryStream(plaintext) }, ct), cancellationToken);
                if (!IsKey(encrypted.KeyId, newKeyId))
                {
                    context.Report(region, RegionResult.Failed, $"{name} was answered by {encrypted.KeyId}, not the new key.");
                    continue;
                }
                var blob = encrypted.CiphertextBlob.ToArray();
                var decrypted = await context.CallAsync(region, "Decrypt", $"ciphertext of {newKeyId} (new key check)",
                    (kms, ct) => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(blob) }, ct), cancellationToken);
                if (!IsKey(decrypted.KeyId, newKeyId) || !decrypted.Plaintext.ToArray().AsSpan().SequenceEqual(plaintext))
                {
                    context.Report(region, RegionResult.Failed, "Decrypt of the new key's ciphertext did not give the bytes back.");
                    continue;
                }
                var message = $"{name} → {newKeyId}: encrypt and decrypt work.";
                if (state.ProbeCiphertext is { } probe)
                {
                    var old = await context.CallAsync(region, "Decrypt", $"old ciphertext of {state.OldKeyId} (step 1 test)",
                        (kms, ct) => kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(Convert.FromBase64String(probe)) }, ct), cancellationToken);
                    if (!IsKey(old.KeyId, state.OldKeyId) || Convert.ToHexString(SHA256.HashData(old.Plaintext.ToArray())) != state.ProbeDigest)
                    {
                        context.Report(region, RegionResult.Failed, "The old test ciphertext did not decrypt to what was encrypted.");
                        continue;
                    }
                    message += " Old ciphertext still decrypts.";
                }
                context.Report(region, RegionResult.Done, message);
            }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                context.Report(region, RegionResult.Failed, StepContext.Describe(ex));
            }
        }
        var ok = context.Regions.Count(r => r.State == RegionResult.Done);
        return $"Verified in {ok} of {state.OldRegions.Count} Regions.";
    }

    private static bool IsKey(string? arnOrId, string keyId) => arnOrId is not null && (arnOrId == keyId || arnOrId.EndsWith("/" + keyId, StringComparison.Ordinal));
}
