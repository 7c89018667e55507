namespace KmsDashboard.Core.Audit;

/// <summary>A clicked bar of the activity chart: a time bucket and one event name or user (or "Other": none of the named ones).</summary>
public sealed record AuditActivitySelection(DateTimeOffset From, DateTimeOffset To, AuditActivityGrouping By, string Name, bool IsOther, IReadOnlySet<string> Named)
{
    public bool Matches(AuditEvent e)
    {
        if (e.EventTime < From || e.EventTime >= To) return false;
        var key = AuditActivity.Key(e, By);
        return IsOther ? !Named.Contains(key) : string.Equals(key, Name, StringComparison.Ordinal);
    }

    /// <summary>"Decrypt, 2026-03-01 14:00–15:00 UTC".</summary>
    public string Describe() =>
        $"{(Name.Length == 0 ? "(none)" : Name)}, {From.UtcDateTime:yyyy-MM-dd HH:mm}–{(To.UtcDateTime.Date == From.UtcDateTime.Date ? To.UtcDateTime.ToString("HH:mm") : To.UtcDateTime.ToString("yyyy-MM-dd HH:mm"))} UTC";
}
