namespace KmsDashboard.Core.Runbooks;

/// <summary>One runbook with its steps and every AWS call it made, for the runbook page and the export.</summary>
public sealed record RunbookView(RunbookRecord Runbook, RunbookDefinition Definition, IReadOnlyList<RunbookCallRecord> Calls,
    bool CanRollBack, IReadOnlyList<RunbookStep> ExtraSteps, DateTimeOffset Now)
{
    /// <summary>The name of the account the runbook works in, as the dashboard knows it ("" when unnamed or unknown).</summary>
    public string AccountName { get; init; } = "";

    public RunbookStepRecord? Current => Runbook.Steps.FirstOrDefault(s => s.Index == Runbook.CurrentStep);

    public RunbookStep? StepOf(RunbookStepRecord record) => Definition.Find(record.Name);

    /// <summary>The lease holder while the lease runs, else null.</summary>
    public string? HeldBy => Runbook.LeaseHolderName is { } name && Runbook.LeaseExpires is { } until && until > Now.UtcDateTime ? name : null;

    public IReadOnlyList<RegionResult> RegionsOf(RunbookStepRecord step) => RunbookService.ParseRegions(step.Regions);

    public IEnumerable<RunbookCallRecord> CallsOf(RunbookStepRecord step) => Calls.Where(c => c.StepIndex == step.Index);

    /// <summary>The step's own progress table (read from the saved state, so it shows progress while the step runs), or null.</summary>
    public StepDetails? DetailsOf(RunbookStepRecord step) => StepOf(step) is { } kind && State is { } state ? kind.Details(state) : null;

    private object? _state;
    private object? State => _state ??= System.Text.Json.JsonSerializer.Deserialize(Runbook.State, Definition.StateType, RunbookStore.Json);
}
