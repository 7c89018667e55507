namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>Rollback: each alias the runbook moved goes back to the old key (only aliases that now point at the new key).</summary>
public sealed class MoveAliasesBackStep : RunbookStep
{
    public const string StepName = "move-aliases-back";
    public override string Name => StepName;
    public override string Title => "Move the aliases back";
    public override string Description => "Points each alias that now targets the new key back at the old key, checking each.";

    public override Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken) =>
        AliasMover.PlanAsync(context, plan, toNew: false, cancellationToken);

    public override Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken) =>
        AliasMover.MoveAsync(context, toNew: false, cancellationToken);
}
