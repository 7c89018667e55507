namespace KmsDashboard.Core.Usage;

/// <summary>The time ranges the usage pages offer.</summary>
public enum UsageRangeKind
{
    LastHour,
    LastDay,
    LastWeek,
    Last30Days,
    Last90Days,
    Custom,
}
