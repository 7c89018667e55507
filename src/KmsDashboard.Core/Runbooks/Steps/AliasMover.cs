using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>Moves the runbook's aliases to the new key (step 4) or back to the old one (rollback), checking each first and after.</summary>
internal static class AliasMover
{
    public static async Task PlanAsync(StepContext context, RunbookPlan plan, bool toNew, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is null)
        {
            if (toNew) plan.Refuse("The new key does not exist yet: run step 2 first.");
            else plan.Notes.Add("No new key was made, so no alias was moved.");
            return;
        }
        var (from, to) = toNew ? (state.OldKeyId, state.NewKeyId) : (state.NewKeyId, state.OldKeyId);
        foreach (var alias in state.Aliases)
        {
            string? target;
            try { target = await TargetAsync(context, alias, cancellationToken); }
            catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
            {
                plan.Warnings.Add($"{alias.Region} could not be read ({StepContext.Describe(ex)}): it will be reported as failed and can be retried.");
                continue;
            }
            if (target == to) plan.Notes.Add($"{alias.AliasName} in {alias.Region} already points at {to}.");
            else if (target == from)
                plan.Calls.Add(new RunbookPlannedCall(alias.Region, "UpdateAlias", $"AliasName={alias.AliasName}, TargetKeyId={to}", $"Then DescribeKey {alias.AliasName} to check."));
            else plan.Warnings.Add($"{alias.AliasName} in {alias.Region} points at {target ?? "nothing"}: it is left alone.");
        }
    }

    public static async Task<string> MoveAsync(StepContext context, bool toNew, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        if (state.NewKeyId is null)
        {
            if (toNew) throw new RunbookStepException("The new key does not exist yet: run step 2 first.");
            return "No new key was made, so no alias was moved.";
        }
        var (from, to) = toNew ? (state.OldKeyId, state.NewKeyId) : (state.NewKeyId, state.OldKeyId);
        var moved = 0;
        foreach (var group in state.Aliases.GroupBy(a => a.Region))
        {
            var messages = new List<string>();
            var failed = false;
            foreach (var alias in group)
            {
                try
                {
                    var target = await TargetAsync(context, alias, cancellationToken);
                    if (target == to) { messages.Add($"{alias.AliasName} already on {to}."); continue; }
                    if (target != from) { messages.Add($"{alias.AliasName} points at {target ?? "nothing"}; left alone."); continue; }
                    var keyState = (await context.Reader.DescribeAsync(alias.Region, to, cancellationToken))?.State;
                    if (keyState is null or "Creating" or "PendingDeletion" or "PendingReplicaDeletion")
                    {
                        failed = true;
                        messages.Add($"{to} is {keyState ?? "missing"} in {alias.Region}: {alias.AliasName} not moved.");
                        continue;
                    }
                    await context.CallAsync(alias.Region, "UpdateAlias", $"AliasName={alias.AliasName}, TargetKeyId={to}",
                        (kms, ct) => kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = alias.AliasName, TargetKeyId = to }, ct), cancellationToken);
                    var check = await TargetAsync(context, alias, cancellationToken);
                    if (check != to) { failed = true; messages.Add($"{alias.AliasName} resolves to {check} after UpdateAlias."); continue; }
                    moved++;
                    messages.Add($"{alias.AliasName} → {to} (checked).");
                }
                catch (Exception ex) when (StepContext.IsAwsFailure(ex, cancellationToken))
                {
                    failed = true;
                    messages.Add($"{alias.AliasName}: {StepContext.Describe(ex)}");
                }
            }
            context.Report(group.Key, failed ? RegionResult.Failed : RegionResult.Done, string.Join(" ", messages));
        }
        var ok = context.Regions.Count(r => r.State == RegionResult.Done);
        return $"{moved} aliases moved; {ok} of {context.Regions.Count} Regions done.";
    }

    /// <summary>The key the alias resolves to in its Region (DescribeKey on the alias), or null when it does not exist.</summary>
    private static async Task<string?> TargetAsync(StepContext context, AliasMove alias, CancellationToken cancellationToken) =>
        (await context.Reader.DescribeAsync(alias.Region, alias.AliasName, cancellationToken))?.KeyId;
}
