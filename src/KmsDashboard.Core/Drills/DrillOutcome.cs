namespace KmsDashboard.Core.Drills;

/// <summary>One key set of a bulk drill: its result, or why it was refused.</summary>
public sealed record DrillOutcome(string KeyId, FailoverDrillResult? Result, string? Refusal);
