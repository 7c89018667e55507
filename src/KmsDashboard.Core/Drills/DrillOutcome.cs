namespace KmsDashboard.Core.Drills;

/// <summary>One key set of a bulk drill: its result, or why it was refused.</summary>
public sealed record DrillOutcome(string KeyId, FailoverDrillResult? Result, string? Refusal)
{
    /// <summary>The key set's account ("" in the single-account set-up).</summary>
    public string Account { get; init; } = "";
}
