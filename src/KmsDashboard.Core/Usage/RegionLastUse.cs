namespace KmsDashboard.Core.Usage;

/// <summary>When a key was last used in a Region per CloudWatch (to the hour, over the past 90 days); null when not in that time.</summary>
public sealed record RegionLastUse(string Region, DateTimeOffset? LastUsedHour, string? Error);
