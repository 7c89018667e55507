namespace KmsDashboard.Core.Security;

/// <summary>
/// Authorization policy names, registered by <see cref="DashboardAuthorizationExtensions.AddDashboardAuthorization"/>
/// and checked by Core at the moment of each action (pages may also use them to hide what a user cannot do).
/// </summary>
public static class DashboardPolicies
{
    /// <summary>Any dashboard role: Viewer, Auditor, Operator or Admin.</summary>
    public const string CanRead = "CanRead";

    /// <summary>Audit views and exports (CloudTrail, journal CSV): Auditor or Admin.</summary>
    public const string CanAudit = "CanAudit";

    /// <summary>Reversible key actions: Operator or Admin.</summary>
    public const string CanOperate = "CanOperate";

    /// <summary>Destructive key actions (disable, schedule deletion, change of primary): Admin.</summary>
    public const string CanAdminister = "CanAdminister";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [CanRead] = [DashboardRoles.Viewer, DashboardRoles.Auditor, DashboardRoles.Operator, DashboardRoles.Admin],
        [CanAudit] = [DashboardRoles.Auditor, DashboardRoles.Admin],
        [CanOperate] = [DashboardRoles.Operator, DashboardRoles.Admin],
        [CanAdminister] = [DashboardRoles.Admin],
    };
}
