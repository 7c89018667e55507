namespace KmsDashboard.Core.Actions;

public enum CallStatus
{
    Succeeded,
    Failed,
    /// <summary>Not sent, because an earlier call it depends on failed.</summary>
    Skipped,
}
