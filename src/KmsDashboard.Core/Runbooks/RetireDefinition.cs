using KmsDashboard.Core.Runbooks.Steps;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// "Retire a key set": steps 7–9 of the manual rotation alone — watch the key's use drain, disable it (Admin), wait,
/// schedule deletion replicas first (Admin) so a primary never sits in PendingReplicaDeletion unnoticed.
/// </summary>
public sealed class RetireDefinition : RunbookDefinition
{
    public override string Kind => RetireInputs.KindName;
    public override string Title => "Retire a key set";
    public override Type InputsType => typeof(RetireInputs);
    public override Type StateType => typeof(KeySetRunbookState);

    public override IReadOnlyList<RunbookStep> Steps { get; } = [new WatchStep(), new DisableOldStep(), new ScheduleOldDeletionStep()];

    public override IReadOnlyList<RunbookStep> RollbackSteps { get; } = [new ReenableOldStep()];

    public override IReadOnlyList<RunbookStep> ExtraSteps { get; } = [new ReenableOldStep(), new CancelOldDeletionStep()];

    public override bool CanRollBack(IReadOnlyList<RunbookStepRecord> steps) =>
        !steps.Any(s => s.Name == ScheduleOldDeletionStep.StepName && s.State is RunbookStepState.Done or RunbookStepState.Partial or RunbookStepState.Running);

    public override IReadOnlyList<RunbookStep> ExtraStepsAvailable(IReadOnlyList<RunbookStepRecord> steps) => KeySetExtras.Available(steps, ExtraSteps);

    public override async Task<RunbookStart> PrepareAsync(RunbookInputs inputs, StartContext context, CancellationToken cancellationToken)
    {
        if (inputs is not RetireInputs input) return RunbookStart.Refused("These are not retire inputs.");
        if (input.DrainHours is < ManualRotationDefinition.MinDrainHours or > ManualRotationDefinition.MaxDrainHours)
            return RunbookStart.Refused($"The drain window must be {ManualRotationDefinition.MinDrainHours}–{ManualRotationDefinition.MaxDrainHours} hours.");
        var (primary, members, problems) = await KeySetReader.ReadAsync(context.Reader, context.Regions, input.KeyId, cancellationToken);
        if (primary is null || problems.Count > 0) return RunbookStart.Refused([.. problems]);
        if (primary.IsAwsManaged) return RunbookStart.Refused($"{primary.KeyId} is AWS managed: AWS retires it.");
        var regions = members.Select(m => m.Region).ToList();
        var state = new KeySetRunbookState
        {
            OldKeyId = primary.KeyId, OldPrimaryRegion = primary.Region, OldRegions = regions,
            OldArns = members.ToDictionary(m => m.Region, m => m.Arn),
            Aliases = await KeySetReader.AliasesAsync(context.Reader, regions, primary.KeyId, cancellationToken),
            KeySpec = primary.KeySpec, DrainHours = input.DrainHours,
        };
        var name = state.Aliases.FirstOrDefault()?.AliasName ?? primary.KeyId;
        return new RunbookStart([], primary.KeyId, $"Retire {name} ({primary.KeyId})", state);
    }
}
