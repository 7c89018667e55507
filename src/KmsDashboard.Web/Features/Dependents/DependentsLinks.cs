using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Web.Features.Dependents;

/// <summary>Links from a dependent to its evidence on the Audit page, over the same window.</summary>
public static class DependentsLinks
{
    /// <summary>Every CloudTrail event of this key in this Region over the window.</summary>
    public static string KeyEvents(RegionDependents region, DateTimeOffset readAt, TimeSpan window) => "audit?" + new AuditQuery
    {
        Regions = [region.Region], Start = readAt - window, End = readAt, Filter = AuditFilterKind.Key, Value = region.KeyArn,
    }.ToQueryString();

    /// <summary>The caller's events in the Region over the window (by CloudTrail user name; a service has none, so the key's events).</summary>
    public static string CallerEvents(KeyCaller caller, RegionDependents region, DateTimeOffset readAt, TimeSpan window) => caller.Username is { } user
        ? "audit?" + new AuditQuery { Regions = [region.Region], Start = readAt - window, End = readAt, Filter = AuditFilterKind.User, Value = user }.ToQueryString()
        : KeyEvents(region, readAt, window);

    /// <summary>"30 days", "1 day".</summary>
    public static string Window(TimeSpan window) => window.TotalDays >= 1 ? $"{window.TotalDays:0} day{(window.TotalDays >= 2 ? "s" : "")}" : $"{window.TotalHours:0} hours";
}
