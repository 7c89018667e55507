namespace KmsDashboard.Core.Runbooks;

/// <summary>A runbook as the list shows it: kind, key, who started it, where it stands, and who holds it now.</summary>
public sealed record RunbookSummary(
    Guid Id, string Kind, string Title, string KeyId, string StartedByName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    RunbookStatus Status, int CurrentStep, string CurrentStepTitle, int StepCount, string? LeaseHolderName, DateTimeOffset? LeaseSince,
    string Account = "")
{
    public bool IsClosed => Status is RunbookStatus.Finished or RunbookStatus.RolledBack;
}
