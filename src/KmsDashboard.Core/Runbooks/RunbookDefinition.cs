namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// A kind of runbook: its steps in order, its rollback steps and the extra steps an operator may add (re-enable,
/// cancel deletion). Registered once as a singleton <see cref="RunbookDefinition"/>; the engine and the pages find it by <see cref="Kind"/>.
/// </summary>
public abstract class RunbookDefinition
{
    public abstract string Kind { get; }

    public abstract string Title { get; }

    public abstract Type InputsType { get; }

    public abstract Type StateType { get; }

    public abstract IReadOnlyList<RunbookStep> Steps { get; }

    /// <summary>Appended as steps when the operator rolls back (empty: no rollback).</summary>
    public virtual IReadOnlyList<RunbookStep> RollbackSteps => [];

    /// <summary>Steps the operator may add at some points (see <see cref="ExtraStepsAvailable"/>).</summary>
    public virtual IReadOnlyList<RunbookStep> ExtraSteps => [];

    /// <summary>Validates the inputs against fresh state and returns the runbook's first state, or the problems.</summary>
    public abstract Task<RunbookStart> PrepareAsync(RunbookInputs inputs, StartContext context, CancellationToken cancellationToken);

    /// <summary>Whether rollback is still possible given the steps' states (e.g. not once deletion was scheduled).</summary>
    public virtual bool CanRollBack(IReadOnlyList<RunbookStepRecord> steps) => RollbackSteps.Count > 0;

    /// <summary>The extra steps that make sense now (e.g. re-enable while the old key is disabled and not yet scheduled for deletion).</summary>
    public virtual IReadOnlyList<RunbookStep> ExtraStepsAvailable(IReadOnlyList<RunbookStepRecord> steps) => [];

    public RunbookStep? Find(string name) =>
        Steps.Concat(RollbackSteps).Concat(ExtraSteps).FirstOrDefault(s => s.Name == name);
}
