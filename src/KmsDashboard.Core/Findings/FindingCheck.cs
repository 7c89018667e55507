namespace KmsDashboard.Core.Findings;

/// <summary>
/// One rule the engine evaluates: a stable id (also the SARIF rule id), the numbered check of the issue it belongs to,
/// its usual severity, and what a reader needs: why it matters and how to fix it.
/// </summary>
public sealed record FindingCheck(string Id, string Group, string Title, FindingSeverity Severity, string Why, string HowToFix)
{
    /// <summary>The group's display name ("2 Least privilege").</summary>
    public string GroupTitle => FindingChecks.GroupTitles.GetValueOrDefault(Group, Group);
}
