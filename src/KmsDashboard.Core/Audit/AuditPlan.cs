using KmsDashboard.Core.Aws.Accounts;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// A validated query and the lookups that answer it, with notes on how a key or alias was resolved. CloudTrail's
/// lookup takes one attribute: <see cref="ClientSide"/> holds the criteria checked here on every event read.
/// </summary>
public sealed record AuditPlan(AuditQuery Query, IReadOnlyList<AuditLookup> Lookups, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<string> Regions => [.. Lookups.Select(l => l.Region).Distinct(StringComparer.Ordinal)];

    /// <summary>The accounts the lookups read (the one default account in the single-account set-up).</summary>
    public IReadOnlyList<AwsAccount> Accounts { get; init; } = [];

    /// <summary>True when the dashboard reads several accounts: events, outcomes and exports name theirs.</summary>
    public bool MultiAccount { get; init; }

    /// <summary>The account-Regions read, in the order of the lookups.</summary>
    public IReadOnlyList<(string Account, string Region)> Targets => [.. Lookups.Select(l => (l.Account, l.Region)).Distinct()];

    /// <summary>The name the dashboard knows an account by ("" for the single account).</summary>
    public string AccountName(string account) =>
        string.IsNullOrEmpty(account) ? "" : Accounts.FirstOrDefault(a => a.Id == account) is { } a && !string.IsNullOrEmpty(a.Name) ? a.Name : account;

    /// <summary>Criteria CloudTrail cannot take in the same request, checked on each event after it is read.</summary>
    public IReadOnlyList<AuditCriterion> ClientSide { get; init; } = [];

    /// <summary>True when the event meets every criterion checked here.</summary>
    public bool Keep(AuditEvent e)
    {
        foreach (var criterion in ClientSide)
            if (!criterion.Matches(e)) return false;
        return true;
    }
}
