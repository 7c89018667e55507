namespace KmsDashboard.Core.Approvals;

/// <summary>What a request would run: a key action's plan, or a runbook step's.</summary>
public enum ApprovalKind
{
    KeyAction,
    RunbookStep,
}
