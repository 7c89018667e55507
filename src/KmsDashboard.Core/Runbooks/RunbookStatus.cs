namespace KmsDashboard.Core.Runbooks;

/// <summary>Where a runbook stands as a whole.</summary>
public enum RunbookStatus
{
    /// <summary>Steps remain; the next one can be planned.</summary>
    Open,
    /// <summary>Paused by an operator: nothing is planned or run until it is resumed.</summary>
    Paused,
    Finished,
    /// <summary>The rollback steps ran to the end.</summary>
    RolledBack,
    /// <summary>The last step that ran failed; it can be run again.</summary>
    Failed,
}
