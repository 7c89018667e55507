using System.Globalization;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Aws.CloudTrail;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// What an auditor asks: which Regions (or every Region of the key set named by the filter), of which account (or all
/// the dashboard reads), a time range within CloudTrail's 90 days, and one filter. Round-trips through a URL query string so a view can be shared.
/// </summary>
public sealed record AuditQuery
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    public const int MaxValueLength = 2000;

    public IReadOnlyList<string> Regions { get; init; } = [];
    /// <summary>Query every Region the key set lives in, whatever <see cref="Regions"/> says (needs a Key filter).</summary>
    public bool KeySetRegions { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public AuditFilterKind Filter { get; init; }
    public string Value { get; init; } = "";
    /// <summary>Narrowing on top of the filter: only this event name (empty: any).</summary>
    public string EventName { get; init; } = "";
    /// <summary>Narrowing: only this CloudTrail Username — IAM user or role session name (empty: anyone).</summary>
    public string User { get; init; } = "";
    /// <summary>Narrowing: only reads (true), only changes (false), or both (null).</summary>
    public bool? ReadOnly { get; init; }
    /// <summary>Only this account (12 digits) when the dashboard reads several; empty: every account it reads.</summary>
    public string Account { get; init; } = "";

    /// <summary>Every criterion of the query but a key filter, as LookupEvents attributes, most selective first.</summary>
    public IReadOnlyList<AuditCriterion> Criteria()
    {
        var criteria = new List<AuditCriterion>();
        if (Filter == AuditFilterKind.AccessKey) criteria.Add(new(LookupAttributeKey.AccessKeyId, Value.Trim()));
        if (Filter == AuditFilterKind.EventName) criteria.Add(new(LookupAttributeKey.EventName, Value.Trim()));
        if (EventName.Trim().Length > 0) criteria.Add(new(LookupAttributeKey.EventName, EventName.Trim()));
        if (Filter == AuditFilterKind.User) criteria.Add(new(LookupAttributeKey.Username, Value.Trim()));
        if (User.Trim().Length > 0) criteria.Add(new(LookupAttributeKey.Username, User.Trim()));
        if (Filter == AuditFilterKind.ReadOnly) criteria.Add(new(LookupAttributeKey.ReadOnly, Value));
        if (ReadOnly is { } readOnly) criteria.Add(new(LookupAttributeKey.ReadOnly, readOnly ? "true" : "false"));
        return criteria;
    }

    /// <summary>Everything wrong with the query, as sentences; empty when it can be run.</summary>
    public IReadOnlyList<string> Validate(DateTimeOffset now, IReadOnlyCollection<string> configuredRegions)
    {
        var problems = new List<string>();
        if (End <= Start) problems.Add("The end of the time range must be after its start.");
        if (Start < now - Retention - TimeSpan.FromMinutes(5))
            problems.Add($"CloudTrail keeps 90 days of events: start on or after {(now - Retention):yyyy-MM-dd HH:mm} UTC.");
        if (Start > now) problems.Add("The time range starts in the future.");
        if (KeySetRegions && Filter != AuditFilterKind.Key)
            problems.Add("\"Every Region of this key set\" needs a key or alias filter.");
        if (!KeySetRegions && Regions.Count == 0) problems.Add("Choose at least one Region.");
        foreach (var region in Regions)
        {
            if (!BackendOptions.IsRegionName(region)) problems.Add($"'{region}' is not an AWS Region name.");
            else if (!configuredRegions.Contains(region)) problems.Add($"{region} is not one of the dashboard's Regions.");
        }
        if (Filter != AuditFilterKind.None && string.IsNullOrWhiteSpace(Value))
            problems.Add($"The {Describe(Filter)} filter needs a value.");
        if (Value.Length > MaxValueLength) problems.Add($"The filter value is longer than {MaxValueLength} characters.");
        if (Filter == AuditFilterKind.ReadOnly && Value is not ("true" or "false"))
            problems.Add("The read-only filter is 'true' (reads) or 'false' (changes).");
        if (!Enum.IsDefined(Filter)) problems.Add("Unknown filter.");
        if (Account.Length > 0 && !AccountRules.IsAccountId(Account))
            problems.Add($"'{(Account.Length > 40 ? Account[..40] + "…" : Account)}' is not an AWS account id (12 digits).");
        if (EventName.Length > 128) problems.Add("The event name is longer than 128 characters.");
        if (User.Length > MaxValueLength) problems.Add($"The user is longer than {MaxValueLength} characters.");
        if (Filter == AuditFilterKind.EventName && EventName.Trim().Length > 0) problems.Add("The event name is both the filter and a narrowing: give it once.");
        if (Filter == AuditFilterKind.User && User.Trim().Length > 0) problems.Add("The user is both the filter and a narrowing: give it once.");
        if (Filter == AuditFilterKind.ReadOnly && ReadOnly is not null) problems.Add("Read-only is both the filter and a narrowing: give it once.");
        return problems;
    }

    /// <summary>A one-line description for export headers and titles.</summary>
    public string Describe()
    {
        var regions = KeySetRegions ? "every Region of the key set" : string.Join(" ", Regions);
        var filter = Filter == AuditFilterKind.None ? "all events" : $"{Describe(Filter)}={Value}";
        var narrowing = new List<string>();
        if (EventName.Trim().Length > 0) narrowing.Add($"event={EventName.Trim()}");
        if (User.Trim().Length > 0) narrowing.Add($"user={User.Trim()}");
        if (ReadOnly is { } readOnly) narrowing.Add(readOnly ? "reads only" : "changes only");
        if (narrowing.Count > 0) filter += " narrowed to " + string.Join(" ", narrowing);
        var account = Account.Length > 0 ? $"; account {Account}" : "";
        return $"{filter}; Regions {regions}{account}; {Start.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {End.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
    }

    public static string Describe(AuditFilterKind kind) => kind switch
    {
        AuditFilterKind.Key => "key",
        AuditFilterKind.EventName => "event",
        AuditFilterKind.User => "user",
        AuditFilterKind.AccessKey => "access key",
        AuditFilterKind.ReadOnly => "read-only",
        _ => "no",
    };

    /// <summary>The query as URL parameters: regions, keyset, from, to, filter, value, event, user, readonly, account.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>
        {
            "from=" + Uri.EscapeDataString(Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            "to=" + Uri.EscapeDataString(End.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
        };
        if (KeySetRegions) parts.Add("keyset=true");
        if (Regions.Count > 0) parts.Add("regions=" + Uri.EscapeDataString(string.Join(",", Regions)));
        if (Filter != AuditFilterKind.None)
        {
            parts.Add("filter=" + Filter.ToString().ToLowerInvariant());
            parts.Add("value=" + Uri.EscapeDataString(Value));
        }
        if (EventName.Length > 0) parts.Add("event=" + Uri.EscapeDataString(EventName));
        if (User.Length > 0) parts.Add("user=" + Uri.EscapeDataString(User));
        if (ReadOnly is { } readOnly) parts.Add("readonly=" + (readOnly ? "true" : "false"));
        if (Account.Length > 0) parts.Add("account=" + Uri.EscapeDataString(Account));
        return string.Join("&", parts);
    }

    /// <summary>Reads the parameters written by <see cref="ToQueryString"/>; missing ones take the defaults given.</summary>
    public static AuditQuery FromParameters(Func<string, string?> get, DateTimeOffset defaultStart, DateTimeOffset defaultEnd, IReadOnlyList<string> defaultRegions)
    {
        var filter = Enum.TryParse<AuditFilterKind>(get("filter"), ignoreCase: true, out var f) ? f : AuditFilterKind.None;
        var regions = get("regions") is { Length: > 0 } r ? r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [.. defaultRegions];
        return new AuditQuery
        {
            Start = Time(get("from")) ?? defaultStart,
            End = Time(get("to")) ?? defaultEnd,
            Regions = regions,
            KeySetRegions = string.Equals(get("keyset"), "true", StringComparison.OrdinalIgnoreCase),
            Filter = filter,
            Value = filter == AuditFilterKind.None ? "" : get("value") ?? "",
            EventName = get("event") ?? "",
            User = get("user") ?? "",
            ReadOnly = get("readonly") switch { "true" => true, "false" => false, _ => null },
            Account = get("account")?.Trim() ?? "",
        };
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
