namespace KmsDashboard.Core.Runbooks;

/// <summary>How a step run went: its new state, a summary, each Region's result, and the journal entries written.</summary>
public sealed record StepRunResult(RunbookStepState State, string Summary, IReadOnlyList<RegionResult> Regions, IReadOnlyList<RunbookCallRecord> Calls)
{
    public bool Refused { get; init; }
    public static StepRunResult Refusal(string reason) => new(RunbookStepState.Pending, reason, [], []) { Refused = true };
}
