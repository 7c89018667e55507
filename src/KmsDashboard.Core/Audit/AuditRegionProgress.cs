namespace KmsDashboard.Core.Audit;

/// <summary>One Region of a running search: pages read, events read and kept (after the checks made here), finished or failed.</summary>
public sealed record AuditRegionProgress(string Region, int Pages, int EventsRead, int EventsKept, bool Done, string? Error)
{
    /// <summary>The account of the Region ("" in the single-account set-up) and the name it is known by.</summary>
    public string Account { get; init; } = "";
    public string AccountName { get; init; } = "";

    /// <summary>"us-east-1", or "demo-payments us-east-1" when the dashboard reads several accounts.</summary>
    public string Label => AuditAccountLabel.Of(AccountName, Account, Region);
}
