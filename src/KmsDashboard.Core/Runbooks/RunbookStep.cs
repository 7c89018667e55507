using KmsDashboard.Core.Security;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// One step's single home: who may run it, what the operator gives when planning it, how it plans (reads current state,
/// lists the calls it will make), how it executes and what progress it shows. A step is this class plus its place in a
/// definition's step list; the engine, the journal, the export and the runbook page find everything else here. Execution must be idempotent: it reads current state first and only sends what is still needed, so
/// running it again after a crash or a failed Region repeats no completed call.
/// </summary>
public abstract class RunbookStep
{
    /// <summary>Stable name stored in the step row, e.g. <c>replicate</c>.</summary>
    public abstract string Name { get; }

    public abstract string Title { get; }

    /// <summary>One line saying what the step does, shown before it is planned.</summary>
    public virtual string Description => "";

    /// <summary>The dashboard policy the user must satisfy to plan and run it.</summary>
    public virtual string Policy => DashboardPolicies.CanOperate;

    /// <summary>Destructive steps need a key id typed to confirm.</summary>
    public virtual bool RequiresTypedConfirmation => false;

    /// <summary>
    /// Under the two-person rule (<c>Safety:RequireApproval</c>) a plan of this step that sends calls runs only on a second
    /// Admin's approval: the manual rotation's steps 8–9 (disable, schedule deletion of the old key set).
    /// </summary>
    public virtual bool RequiresApproval => false;

    /// <summary>Values the operator gives when planning it (the runbook page shows a field for each).</summary>
    public virtual IReadOnlyList<RunbookStepInput> Inputs => [];

    /// <summary>The step's own progress table, from the runbook's saved state (null: none).</summary>
    public virtual StepDetails? Details(object state) => null;

    /// <summary>Why the step cannot run in this build (it is then skipped, saying so), or null.</summary>
    public virtual string? NotAvailableReason => null;

    /// <summary>Reads current state and fills <paramref name="plan"/>: calls, notes, warnings, or a refusal.</summary>
    public abstract Task PlanAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken);

    /// <summary>Does what the plan said (re-reading state first), reporting each Region through <see cref="StepContext.Report"/>; returns a summary.</summary>
    public abstract Task<string> ExecuteAsync(StepContext context, RunbookPlan plan, CancellationToken cancellationToken);
}
