namespace KmsDashboard.Core.Actions;

public enum PlanStatus
{
    /// <summary>Preconditions hold; the calls can be confirmed and executed.</summary>
    Ready,
    /// <summary>Everything already is as asked: no call is needed.</summary>
    NothingToDo,
    /// <summary>An input is wrong; nothing was read or sent.</summary>
    Invalid,
    /// <summary>The keys' current state does not allow the action (or a Region could not be read).</summary>
    PreconditionFailed,
    /// <summary>The user's roles do not allow the action, or the dashboard is read-only.</summary>
    Forbidden,
}
