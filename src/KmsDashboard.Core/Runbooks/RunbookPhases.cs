namespace KmsDashboard.Core.Runbooks;

/// <summary>Which part of a runbook a step belongs to.</summary>
public static class RunbookPhases
{
    public const string Forward = "Forward";
    public const string Rollback = "Rollback";
    /// <summary>Steps added on demand: re-enable the old key during the waiting period, cancel a scheduled deletion.</summary>
    public const string Extra = "Extra";
}
