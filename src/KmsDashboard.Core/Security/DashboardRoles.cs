namespace KmsDashboard.Core.Security;

/// <summary>The dashboard's roles, as role claim values. Each role's rights are the policies in <see cref="DashboardPolicies"/>.</summary>
public static class DashboardRoles
{
    /// <summary>Reads inventory, usage and charts.</summary>
    public const string Viewer = "Viewer";

    /// <summary>Reads, plus CloudTrail views and exports and the journal export.</summary>
    public const string Auditor = "Auditor";

    /// <summary>Reads, plus reversible actions: replicate, enable, rotation, aliases, tags, description, cancel deletion.</summary>
    public const string Operator = "Operator";

    /// <summary>Everything, including disable, schedule deletion and change of primary Region.</summary>
    public const string Admin = "Admin";

    /// <summary>Every role, least to most powerful.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Auditor, Operator, Admin];
}
