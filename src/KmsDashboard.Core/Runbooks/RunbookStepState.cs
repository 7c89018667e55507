namespace KmsDashboard.Core.Runbooks;

public enum RunbookStepState
{
    Pending,
    /// <summary>A plan was shown and waits for confirmation.</summary>
    Planned,
    /// <summary>Executing, or interrupted while executing (a crash): running it again continues where it stopped.</summary>
    Running,
    /// <summary>Some Regions done, some not: running it again retries the rest.</summary>
    Partial,
    Done,
    Failed,
    Skipped,
}
