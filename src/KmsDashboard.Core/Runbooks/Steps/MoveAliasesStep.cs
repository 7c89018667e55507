
namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// Step 4: each alias, Region by Region, to the new key (UpdateAlias), verified by DescribeKey on the alias. A Region
/// that fails leaves the others moved; running the step again retries only what is not moved yet.
/// </summary>
public sealed class MoveAliasesStep : RunbookStep
{
    public const string StepName = "move-aliases";
    public override string Name => StepName;
    public override string Title => "Move the aliases";
    public override string Description => "Points each chosen alias at the new key in its Region and checks it with DescribeKey on the alias.";

    public override Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken) =>
        AliasMover.PlanAsync(context, plan, toNew: true, cancellationToken);

    public override async Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken)
    {
        var summary = await AliasMover.MoveAsync(context, toNew: true, cancellationToken);
        var state = context.StateAs<KeySetRunbookState>();
        if (context.Regions.Any(r => r.State == RegionResult.Done)) state.AliasesMovedAt = context.Now;
        return summary;
    }
}
