using KmsDashboard.Core.Runbooks.Steps;

namespace KmsDashboard.Core.Runbooks;

/// <summary>When re-enable and cancel deletion make sense for a key-set runbook.</summary>
internal static class KeySetExtras
{
    public static IReadOnlyList<RunbookStep> Available(IReadOnlyList<RunbookStepRecord> steps, IReadOnlyList<RunbookStep> extras)
    {
        static bool Ran(RunbookStepRecord s) => s.State is RunbookStepState.Done or RunbookStepState.Partial;
        if (steps.Any(s => s.Phase != RunbookPhases.Forward && s.State is not (RunbookStepState.Done or RunbookStepState.Skipped))) return [];
        var disabled = steps.Any(s => s.Name == DisableOldStep.StepName && s.Phase == RunbookPhases.Forward && Ran(s));
        var scheduled = steps.Any(s => s.Name == ScheduleOldDeletionStep.StepName && Ran(s));
        var rolledBack = steps.Any(s => s.Phase == RunbookPhases.Rollback);
        var list = new List<RunbookStep>();
        if (disabled && !scheduled && !rolledBack) list.AddRange(extras.Where(e => e.Name == ReenableOldStep.StepName));
        if (scheduled) list.AddRange(extras.Where(e => e.Name == CancelOldDeletionStep.StepName));
        return list;
    }
}
