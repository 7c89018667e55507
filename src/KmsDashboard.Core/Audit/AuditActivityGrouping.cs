namespace KmsDashboard.Core.Audit;

/// <summary>What the Audit page's activity chart stacks: event names or users.</summary>
public enum AuditActivityGrouping
{
    EventName,
    User,
}
