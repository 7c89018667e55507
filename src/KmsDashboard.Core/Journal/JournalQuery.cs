namespace KmsDashboard.Core.Journal;

/// <summary>Journal filters; null or empty means any. Text filters match a part, case-insensitively.</summary>
public sealed record JournalQuery
{
    public string? User { get; init; }
    public string? Action { get; init; }
    public string? KeyId { get; init; }
    public string? Region { get; init; }
    public string? Outcome { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public int Limit { get; init; } = 500;
}
