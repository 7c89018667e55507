namespace KmsDashboard.Core.Actions;

public enum ActionOutcome
{
    Succeeded,
    /// <summary>Some Regions succeeded, some failed: each call's outcome says which.</summary>
    PartiallySucceeded,
    Failed,
    /// <summary>Nothing was sent: a role, the read-only switch, a missing confirmation or a stale plan refused it.</summary>
    Refused,
}
