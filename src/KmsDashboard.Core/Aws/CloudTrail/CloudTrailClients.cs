using System.Collections.Concurrent;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>One long-lived <see cref="CloudTrailClient"/> per Region, all paced by one shared <see cref="CloudTrailRateLimiter"/>.</summary>
public sealed class CloudTrailClients(AwsClients clients, CloudTrailRateLimiter limiter)
{
    private readonly ConcurrentDictionary<string, CloudTrailClient> _byRegion = new(StringComparer.Ordinal);

    public CloudTrailRateLimiter Limiter => limiter;

    public CloudTrailClient For(string region) => _byRegion.GetOrAdd(region, r => new CloudTrailClient(clients, r, limiter));
}
