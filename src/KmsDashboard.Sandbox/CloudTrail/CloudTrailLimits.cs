namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>LookupEvents' documented limits.</summary>
public static class CloudTrailLimits
{
    /// <summary>Events can be looked up for 90 days.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>Two LookupEvents requests per second, per account, per Region.</summary>
    public const int RequestsPerSecond = 2;

    public const int MaxResults = 50;

    public const int MaxAttributeValueLength = 2000;
}
