using KmsDashboard.Core.Findings;
using Microsoft.AspNetCore.WebUtilities;

namespace KmsDashboard.Web.Features.Findings;

/// <summary>The findings page's filters, kept in the URL (so a filtered view can be shared and survives a reload).</summary>
public sealed record FindingsFilter
{
    public FindingsGrouping GroupBy { get; init; } = FindingsGrouping.Check;
    public FindingsStatus Status { get; init; } = FindingsStatus.Open;
    public FindingSeverity MinSeverity { get; init; } = FindingSeverity.Info;
    /// <summary>A check group ("2", "MR") or a check id; empty for all.</summary>
    public string Check { get; init; } = "";
    public string Region { get; init; } = "";
    /// <summary>An AWS account id (multi-account set-up); empty for all.</summary>
    public string Account { get; init; } = "";
    /// <summary>Part of a key name or key id.</summary>
    public string Key { get; init; } = "";

    public IEnumerable<FindingView> Apply(IEnumerable<FindingView> findings, DateTimeOffset now) => findings.Where(f =>
        (Status switch
        {
            FindingsStatus.Open => f.IsOpen && !f.IsSuppressed,
            FindingsStatus.New => f.IsNewSince(now.AddDays(-1)) && !f.IsSuppressed,
            FindingsStatus.Fixed => !f.IsOpen,
            FindingsStatus.Suppressed => f.IsOpen && f.IsSuppressed,
            _ => true,
        })
        && f.Severity >= MinSeverity
        && (Check.Length == 0 || f.Check.Group == Check || f.Check.Id == Check)
        && (Region.Length == 0 || f.Region == Region)
        && (Account.Length == 0 || f.Account == Account)
        && (Key.Length == 0 || f.KeyName.Contains(Key, StringComparison.OrdinalIgnoreCase) || f.KeyId.Contains(Key, StringComparison.OrdinalIgnoreCase)));

    public string ToQueryString()
    {
        var values = new Dictionary<string, string?>
        {
            ["group"] = GroupBy == FindingsGrouping.Check ? null : "key",
            ["status"] = Status == FindingsStatus.Open ? null : Status.ToString().ToLowerInvariant(),
            ["severity"] = MinSeverity == FindingSeverity.Info ? null : MinSeverity.ToString().ToLowerInvariant(),
            ["check"] = Check.Length == 0 ? null : Check,
            ["region"] = Region.Length == 0 ? null : Region,
            ["account"] = Account.Length == 0 ? null : Account,
            ["key"] = Key.Length == 0 ? null : Key,
        };
        return QueryHelpers.AddQueryString("", values.Where(v => v.Value is not null));
    }

    public static FindingsFilter FromQuery(Func<string, string?> get) => new()
    {
        GroupBy = get("group") == "key" ? FindingsGrouping.KeySet : FindingsGrouping.Check,
        Status = Enum.TryParse<FindingsStatus>(get("status"), ignoreCase: true, out var status) ? status : FindingsStatus.Open,
        MinSeverity = Enum.TryParse<FindingSeverity>(get("severity"), ignoreCase: true, out var severity) ? severity : FindingSeverity.Info,
        Check = get("check")?.Trim() ?? "",
        Region = get("region")?.Trim() ?? "",
        Account = get("account")?.Trim() ?? "",
        Key = get("key")?.Trim() ?? "",
    };
}
