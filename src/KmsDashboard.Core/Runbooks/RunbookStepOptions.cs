namespace KmsDashboard.Core.Runbooks;

/// <summary>What the operator chooses when planning a step: the waiting period after disabling, the deletion window, an override reason.</summary>
public sealed record RunbookStepOptions
{
    /// <summary>Days to wait after disabling the old key set before its deletion may be scheduled (0–90).</summary>
    public int? WaitingDays { get; init; }
    /// <summary>Days before AWS deletes the keys (7–30).</summary>
    public int? PendingWindowDays { get; init; }
    /// <summary>An Admin's written reason to go on although the old key is still used (journaled).</summary>
    public string? OverrideReason { get; init; }
}
