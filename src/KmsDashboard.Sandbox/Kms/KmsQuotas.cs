using System.Collections.Concurrent;
using System.Diagnostics;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// KMS request quotas per account, Region and operation (requests per second, AWS-FACTS.md), as token buckets of one
/// second's worth of requests refilled continuously in real time. Cryptographic operations share one bucket per Region.
/// </summary>
internal sealed class KmsQuotas
{
    private const string SharedCryptographic = "CryptographicOperationsSymmetric";

    private static readonly Dictionary<string, int> PerOperation = new(StringComparer.Ordinal)
    {
        ["DescribeKey"] = 2000, ["ListResourceTags"] = 2000,
        ["GetKeyRotationStatus"] = 1000, ["GetKeyPolicy"] = 1000,
        ["ListKeys"] = 500, ["ListAliases"] = 500,
        ["ListKeyRotations"] = 100, ["ListKeyPolicies"] = 100,
        ["EnableKeyRotation"] = 15, ["DisableKeyRotation"] = 15, ["ScheduleKeyDeletion"] = 15, ["PutKeyPolicy"] = 15, ["DeleteAlias"] = 15,
        ["TagResource"] = 10, ["UntagResource"] = 10,
        ["CreateKey"] = 5, ["CreateAlias"] = 5, ["UpdateAlias"] = 5, ["EnableKey"] = 5, ["DisableKey"] = 5, ["CancelKeyDeletion"] = 5,
        ["RotateKeyOnDemand"] = 5, ["GetKeyLastUsage"] = 5, ["ReplicateKey"] = 5, ["UpdatePrimaryRegion"] = 5, ["UpdateKeyDescription"] = 5,
    };

    // The shared symmetric cryptographic quota by Region (KMS developer guide; shared/data/aws-regions.json); 10,000 elsewhere.
    private static readonly Dictionary<string, int> CryptographicByRegion = new(StringComparer.Ordinal)
    {
        ["us-east-1"] = 100_000, ["us-west-2"] = 100_000, ["eu-west-1"] = 100_000,
        ["us-east-2"] = 20_000, ["ap-southeast-1"] = 20_000, ["ap-southeast-2"] = 20_000,
        ["ap-northeast-1"] = 20_000, ["eu-central-1"] = 20_000, ["eu-west-2"] = 20_000,
    };

    private readonly ConcurrentDictionary<(string Region, string Quota), TokenBucket> _buckets = new();

    public static int RateFor(string region, KmsOperation operation) => operation.Cryptographic
        ? CryptographicByRegion.GetValueOrDefault(region, 10_000)
        : PerOperation.GetValueOrDefault(operation.Name, 100);

    /// <summary>Takes one request from the Region's bucket for the operation; false means ThrottlingException.</summary>
    public bool TryAcquire(string region, KmsOperation operation)
    {
        var quota = operation.Cryptographic ? SharedCryptographic : operation.Name;
        var bucket = _buckets.GetOrAdd((region, quota), _ => new TokenBucket(RateFor(region, operation)));
        return bucket.TryTake();
    }

    public void Reset() => _buckets.Clear();

    private sealed class TokenBucket(int perSecond)
    {
        private readonly Lock _gate = new();
        private double _tokens = perSecond;
        private long _last = Stopwatch.GetTimestamp();

        public bool TryTake()
        {
            lock (_gate)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(perSecond, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond);
                _last = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}
