namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>
/// CloudTrail's request slots shared by several dashboard instances (the cluster's PostgreSQL store), so that together
/// they keep to 2 requests per second per account and Region.
/// </summary>
public interface ICloudTrailPacing
{
    /// <summary>
    /// Takes the next free slot of <paramref name="region"/> — a <see cref="CloudTrailRateLimiter.Key"/>: the Region, or
    /// "account:Region" for an account read through its role — spaced <paramref name="interval"/> after the last one any
    /// instance took, and returns how long to wait for it (zero when it is now).
    /// </summary>
    Task<TimeSpan> ReserveAsync(string region, TimeSpan interval, CancellationToken cancellationToken);
}
