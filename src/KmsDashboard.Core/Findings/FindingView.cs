namespace KmsDashboard.Core.Findings;

/// <summary>A stored finding as the page and the exports show it, with its active suppression if any.</summary>
public sealed record FindingView
{
    public required string Id { get; init; }
    public required FindingCheck Check { get; init; }
    public required FindingSeverity Severity { get; init; }
    public required string KeyId { get; init; }
    public required string KeyName { get; init; }
    public string? Region { get; init; }
    /// <summary>The key's AWS account: "" in the single-account set-up.</summary>
    public string Account { get; init; } = "";
    public string? Subject { get; init; }
    public IReadOnlyList<string> Evidence { get; init; } = [];
    public FindingFix? Fix { get; init; }
    public decimal? MonthlySaving { get; init; }
    public required DateTimeOffset FirstSeen { get; init; }
    public required DateTimeOffset LastSeen { get; init; }
    public DateTimeOffset? FixedAt { get; init; }
    public bool Stale { get; init; }
    public string? StaleReason { get; init; }
    public SuppressionRecord? Suppression { get; init; }

    public bool IsOpen => FixedAt is null;
    public bool IsSuppressed => Suppression is not null;
    /// <summary>Open and not suppressed: what counts against the score.</summary>
    public bool Counts => IsOpen && !IsSuppressed;

    public bool IsNewSince(DateTimeOffset since) => IsOpen && FirstSeen >= since;
}
