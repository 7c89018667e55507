using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Web.Features.Dependents;

/// <summary>Links from a dependent to its evidence on the Audit page, over the same window and in the key's account.</summary>
public static class DependentsLinks
{
    /// <summary>Every CloudTrail event of this key in this Region over the window, in the key set's account.</summary>
    public static string KeyEvents(KeyDependents dependents, RegionDependents region) => "audit?" + new AuditQuery
    {
        Regions = [region.Region], Start = dependents.ReadAt - dependents.Window, End = dependents.ReadAt,
        Filter = AuditFilterKind.Key, Value = region.KeyArn, Account = dependents.Account,
    }.ToQueryString();

    /// <summary>The caller's events in the Region over the window (by CloudTrail user name; a service has none, so the key's events).</summary>
    public static string CallerEvents(KeyDependents dependents, KeyCaller caller, RegionDependents region) => caller.Username is { } user
        ? "audit?" + new AuditQuery
        {
            Regions = [region.Region], Start = dependents.ReadAt - dependents.Window, End = dependents.ReadAt,
            Filter = AuditFilterKind.User, Value = user, Account = dependents.Account,
        }.ToQueryString()
        : KeyEvents(dependents, region);

    /// <summary>"30 days", "1 day".</summary>
    public static string Window(TimeSpan window) => window.TotalDays >= 1 ? $"{window.TotalDays:0} day{(window.TotalDays >= 2 ? "s" : "")}" : $"{window.TotalHours:0} hours";
}
