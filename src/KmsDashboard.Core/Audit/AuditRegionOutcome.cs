namespace KmsDashboard.Core.Audit;

/// <summary>How one Region's part of a search or export went: events kept, pages read, cut short, or why it failed.</summary>
public sealed record AuditRegionOutcome(string Region, int Events, int Pages, bool Truncated, string? Error)
{
    /// <summary>Events read from CloudTrail, including those the checks made here did not keep.</summary>
    public int EventsRead { get; init; } = Events;

    /// <summary>The account of the Region ("" in the single-account set-up) and the name it is known by.</summary>
    public string Account { get; init; } = "";
    public string AccountName { get; init; } = "";

    /// <summary>When the account's role could not be assumed: since when it has been failing.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>"us-east-1", or "demo-payments us-east-1" when the dashboard reads several accounts.</summary>
    public string Label => AuditAccountLabel.Of(AccountName, Account, Region);
}
