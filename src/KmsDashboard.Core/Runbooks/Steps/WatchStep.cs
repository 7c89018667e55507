namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 7: shows the old key's use (CloudWatch SuccessfulRequest per Region, CloudTrail callers) and refuses to go on while
/// it was used in the last N hours — unless an Admin overrides with a written reason, which is journaled.
/// </summary>
public sealed class WatchStep : RunbookStep
{
    public const string StepName = "watch";
    public const int MinOverrideReasonLength = 10;
    public override string Name => StepName;
    public override string Title => "Watch the old key drain";
    public override string Description => "Shows the old key's use since the aliases moved; goes on only when it was not used in the last N hours (or an Admin overrides).";

    public override IReadOnlyList<RunbookStepInput> Inputs { get; } =
    [
        new(RunbookStepOptions.OverrideReasonKey, "Override reason (Admin)", "Why it is safe to go on although the old key is still used; journaled.") { OverrideOnly = true },
    ];

    public override async Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        var window = TimeSpan.FromHours(state.DrainHours);
        var use = await KeyUseCheck.ReadAsync(context, state.OldArns, window, state.OldKeyId, state.AliasesMovedAt, cancellationToken);
        plan.Notes.Add($"Use of {state.OldKeyId} in the last {state.DrainHours} hours ({use.Range.Describe()}):");
        plan.Notes.AddRange(use.Regions.Select(r => KeyUseCheck.Describe(r, state.AliasesMovedAt is null ? "" : "the aliases moved")));
        var callers = await KeyCallers.ReadAsync(context, state.OldArns, context.Now - window, cancellationToken);
        plan.Notes.AddRange(callers.Callers.Select(c => "Caller: " + c));
        plan.Notes.AddRange(callers.Notes);
        plan.Warnings.AddRange(callers.Direct);

        string? blocked = null;
        if (use.AnyError) blocked = "CloudWatch could not be read in every Region, so the drain cannot be shown.";
        else if (use.Others > 0)
            blocked = $"The old key served {KeyUseCheck.Requests(use.Others)} in the last {state.DrainHours} hours: wait until it drains (or until the callers above moved to the alias).";
        if (blocked is null)
        {
            plan.Notes.Add($"No use of the old key in the last {state.DrainHours} hours: it has drained.");
            return;
        }
        var reason = plan.Options.OverrideReason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            plan.CanOverride = true;
            plan.Refuse(blocked + " An Admin may go on with a written reason.");
        }
        else if (!context.UserMayAdminister) plan.Refuse(blocked + $" Only an Admin may override; {context.User.Name} is not one.");
        else if (reason.Length < MinOverrideReasonLength) { plan.CanOverride = true; plan.Refuse($"Write a reason of at least {MinOverrideReasonLength} characters to override."); }
        else
        {
            plan.OverrideReason = reason;
            plan.Warnings.Add($"{blocked} Admin override by {context.User.Name}: {reason}");
        }
    }

    public override Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var state = context.StateAs<KeySetRunbookState>();
        state.DrainCheckedAt = context.Now;
        state.DrainOverrideReason = plan.OverrideReason;
        state.DrainOverrideBy = plan.OverrideReason is null ? null : context.User.Name;
        foreach (var region in state.OldRegions)
            context.Report(region, RegionResult.Done, plan.Notes.FirstOrDefault(n => n.StartsWith(region + ":", StringComparison.Ordinal)) ?? "Checked.");
        return Task.FromResult(plan.OverrideReason is null
            ? $"The old key was not used in the last {state.DrainHours} hours."
            : $"Drain check overridden by {context.User.Name}: {plan.OverrideReason}");
    }
}
