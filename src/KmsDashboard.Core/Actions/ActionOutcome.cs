namespace KmsDashboard.Core.Actions;

public enum ActionOutcome
{
    Succeeded,
    /// <summary>Some Regions succeeded, some failed: each call's outcome says which.</summary>
    PartiallySucceeded,
    Failed,
    /// <summary>Nothing was sent: a role, the read-only switch, a missing confirmation, a stale plan or an unwritable journal refused it.</summary>
    Refused,
    /// <summary>At least one call went unanswered (timed out): whether it took effect is unknown — verify before acting again.</summary>
    Unknown,
    /// <summary>Cancelled by the user or stopped by the action's time limit; the calls not yet sent were not sent.</summary>
    Cancelled,
    /// <summary>Its calls are being sent (the journal entry opened before the first call).</summary>
    InProgress,
    /// <summary>The app stopped while sending its calls; at the next start each call was checked against the keys.</summary>
    Interrupted,
}
