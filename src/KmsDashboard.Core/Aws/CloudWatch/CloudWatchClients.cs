using System.Collections.Concurrent;

namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>One long-lived <see cref="CloudWatchClient"/> per Region, on the backend's endpoint and credentials.</summary>
public sealed class CloudWatchClients(AwsClients clients)
{
    private readonly ConcurrentDictionary<string, CloudWatchClient> _byRegion = new(StringComparer.Ordinal);

    /// <summary>Retries used by every client; tests shorten them.</summary>
    public AwsRetryPolicy Retry { get; init; } = AwsRetryPolicy.Default;

    public CloudWatchClient For(string region) => _byRegion.GetOrAdd(region, r => new CloudWatchClient(clients, r, Retry));
}
