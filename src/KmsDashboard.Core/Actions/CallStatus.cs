namespace KmsDashboard.Core.Actions;

public enum CallStatus
{
    Succeeded,
    /// <summary>AWS answered with an error: the call did not take effect.</summary>
    Failed,
    /// <summary>Not sent, because an earlier call it depends on failed, or the action was cancelled or timed out first.</summary>
    Skipped,
    /// <summary>Sent, but no answer came (timeout, lost connection, cancelled in flight): it may have taken effect — verify.</summary>
    Unknown,
}
