using KmsDashboard.Core.Actions;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// What the runbook's current step will do, worked out from freshly read state: its verdict, notes, warnings and the
/// AWS calls Region by Region. Made by <see cref="RunbookService.PlanStepAsync"/>; executable once, by its planner.
/// </summary>
public sealed class RunbookPlan
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid RunbookId { get; init; }
    public int StepIndex { get; init; }
    public string StepName { get; init; } = "";
    public string Title { get; init; } = "";
    public string PlannedById { get; init; } = "";
    public string PlannedByName { get; init; } = "";
    public DateTimeOffset PlannedAt { get; init; }
    public PlanStatus Status { get; set; } = PlanStatus.Ready;
    public List<string> Problems { get; init; } = [];
    public List<string> Notes { get; init; } = [];
    /// <summary>Things the operator should know before going on (callers naming the key id, traffic still seen…).</summary>
    public List<string> Warnings { get; init; } = [];
    public List<RunbookPlannedCall> Calls { get; init; } = [];
    /// <summary>Destructive steps: one of <see cref="ConfirmationTexts"/> must be typed.</summary>
    public bool RequiresTypedConfirmation { get; set; }
    public List<string> ConfirmationTexts { get; init; } = [];
    /// <summary>True when an Admin may go on despite the refusal by giving a written reason (the drain check).</summary>
    public bool CanOverride { get; set; }
    /// <summary>The Admin's reason, when this plan goes on despite the drain check.</summary>
    public string? OverrideReason { get; set; }
    /// <summary>The step options the plan was made with (waiting period, deletion window).</summary>
    public RunbookStepOptions Options { get; init; } = new();

    /// <summary>The two-person rule's record (requester and approver) when this plan runs on an approval; set by Core only.</summary>
    public Approvals.ApprovalStamp? Approval { get; internal set; }

    public bool CanExecute => Status is PlanStatus.Ready or PlanStatus.NothingToDo;

    public bool IsConfirmedBy(string? typed) =>
        !RequiresTypedConfirmation || (typed is not null && ConfirmationTexts.Contains(typed.Trim(), StringComparer.Ordinal));

    /// <summary>Refuses the plan for a failed precondition.</summary>
    public void Refuse(string problem)
    {
        Problems.Add(problem);
        if (Status is PlanStatus.Ready or PlanStatus.NothingToDo) Status = PlanStatus.PreconditionFailed;
    }
}
