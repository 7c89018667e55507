using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Runbooks.Steps;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// The security-incident runbook: a new multi-Region key takes over the old key set's aliases in every Region, then the
/// old key set drains, is disabled, and is scheduled for deletion. Rollback before step 9 moves the aliases back.
/// </summary>
public sealed class ManualRotationDefinition : RunbookDefinition
{
    public const int MinDrainHours = 1, MaxDrainHours = 720;

    public override string Kind => ManualRotationInputs.KindName;
    public override string Title => "Manual rotation — new key, keep the alias";
    public override Type InputsType => typeof(ManualRotationInputs);
    public override Type StateType => typeof(KeySetRunbookState);

    public override IReadOnlyList<RunbookStep> Steps { get; } =
    [
        new ChooseStep(), new CreateKeyStep(), new ReplicateStep(), new MoveAliasesStep(), new VerifyStep(), new ReencryptS3Step(),
        new WatchStep(), new DisableOldStep(), new ScheduleOldDeletionStep(),
    ];

    public override IReadOnlyList<RunbookStep> RollbackSteps { get; } = [new ReenableOldStep(), new MoveAliasesBackStep(), new RetireNewKeyStep()];

    public override IReadOnlyList<RunbookStep> ExtraSteps { get; } = [new ReenableOldStep(), new CancelOldDeletionStep()];

    /// <summary>Rollback is possible until the old key set's deletion was scheduled (step 9 ran, even in part).</summary>
    public override bool CanRollBack(IReadOnlyList<RunbookStepRecord> steps) =>
        !steps.Any(s => s.Name == ScheduleOldDeletionStep.StepName && s.State is RunbookStepState.Done or RunbookStepState.Partial or RunbookStepState.Running);

    public override IReadOnlyList<RunbookStep> ExtraStepsAvailable(IReadOnlyList<RunbookStepRecord> steps) => KeySetExtras.Available(steps, ExtraSteps);

    public override async Task<RunbookStart> PrepareAsync(RunbookInputs inputs, StartContext context, CancellationToken cancellationToken)
    {
        if (inputs is not ManualRotationInputs input) return RunbookStart.Refused("These are not manual-rotation inputs.");
        var problems = new List<string>();
        if (input.DrainHours is < MinDrainHours or > MaxDrainHours) problems.Add($"The drain window must be {MinDrainHours}–{MaxDrainHours} hours.");
        if (input.Description is not null && KeyInputRules.CheckDescription(input.Description) is { } d) problems.Add(d);
        if (input.Tags is not null && KeyInputRules.CheckTags(input.Tags) is { } t) problems.Add(t);
        if (input.RotationPeriodDays is { } period && KeyInputRules.CheckRotationPeriod(period) is { } p) problems.Add(p);
        if (input.Policy is not null && string.IsNullOrWhiteSpace(input.Policy)) problems.Add("The key policy is empty; leave it out to copy the old key's policy.");
        if (problems.Count > 0) return RunbookStart.Refused([.. problems]);

        var (primary, members, found) = await KeySetReader.ReadAsync(context.Reader, context.Regions, input.KeyId, cancellationToken);
        problems.AddRange(found);
        if (primary is null) return RunbookStart.Refused([.. problems]);
        if (primary.KeySpec != "SYMMETRIC_DEFAULT") problems.Add($"{primary.KeyId} is a {primary.KeySpec} key: this runbook rotates symmetric encryption keys.");
        if (primary.Origin != "AWS_KMS") problems.Add($"{primary.KeyId} has key material of origin {primary.Origin}: only AWS_KMS keys are rotated here.");
        if (primary.IsAwsManaged) problems.Add($"{primary.KeyId} is AWS managed.");
        foreach (var m in members.Where(m => m.State != "Enabled")) problems.Add($"The old key is {m.State} in {m.Region}: it must be Enabled in every Region to rotate.");
        var regions = members.Select(m => m.Region).ToList();
        var aliases = await KeySetReader.AliasesAsync(context.Reader, regions, primary.KeyId, cancellationToken);
        var chosen = input.Aliases ?? aliases;
        foreach (var a in chosen.Where(a => !aliases.Contains(a))) problems.Add($"{a.AliasName} in {a.Region} does not point at {primary.KeyId}.");
        if (chosen.Count == 0) problems.Add($"{primary.KeyId} has no alias to move: the rotation keeps applications on the alias. Use \"Retire a key set\" for a key nobody reaches by alias.");
        if (problems.Count > 0) return RunbookStart.Refused([.. problems]);

        var rotation = await context.Reader.RotationStatusAsync(primary.Region, primary.KeyId, cancellationToken);
        var state = new KeySetRunbookState
        {
            OldKeyId = primary.KeyId, OldPrimaryRegion = primary.Region, OldRegions = regions,
            OldArns = members.ToDictionary(m => m.Region, m => m.Arn), Aliases = [.. chosen],
            NewDescription = input.Description ?? $"{primary.Description} (rotated {context.Now:yyyy-MM-dd})".TrimStart(),
            NewPolicy = input.Policy ?? await context.Reader.PolicyAsync(primary.Region, primary.KeyId, cancellationToken),
            NewTags = new(input.Tags ?? await context.Reader.TagsAsync(primary.Region, primary.KeyId, cancellationToken)),
            RotationEnabled = input.RotationEnabled ?? rotation.Enabled,
            RotationPeriodDays = input.RotationPeriodDays ?? rotation.PeriodDays,
            KeySpec = primary.KeySpec, DrainHours = input.DrainHours,
        };
        var title = $"Rotate {chosen[0].AliasName} ({primary.KeyId})";
        return new RunbookStart([], primary.KeyId, title, state);
    }
}
