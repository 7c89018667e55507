namespace KmsDashboard.Core.Findings;

/// <summary>The result of one evaluation: the findings, and what could not be evaluated (by check group and Region) and why.</summary>
public sealed record FindingsEvaluation(DateTimeOffset At, IReadOnlyList<Finding> Findings, IReadOnlyList<CheckNote> NotEvaluated, TimeSpan Duration)
{
    /// <summary>Whether the check could not be evaluated in <paramref name="region"/> (or anywhere, for a null Region note).</summary>
    public bool IsUnknown(FindingCheck check, string? region) =>
        NotEvaluated.Any(n => (n.CheckId == check.Id || n.CheckId == check.Group) && (n.Region is null || region is null || n.Region == region));
}

/// <summary>A check (by id or group) not evaluated in a Region (null: anywhere), with the honest reason.</summary>
public sealed record CheckNote(string CheckId, string? Region, string Reason)
{
    public string Text => Region is null ? $"not evaluated: {Reason}" : $"not evaluated in {Region}: {Reason}";
}
