using System.Net;

namespace KmsDashboard.Core.Aws;

/// <summary>
/// When and how long the JSON clients wait before trying again: throttling, HTTP 429 and 5xx answers, and
/// network failures are retried with exponential backoff and full jitter, like the SDK's standard mode.
/// </summary>
public sealed class AwsRetryPolicy
{
    public static readonly AwsRetryPolicy Default = new();

    /// <summary>Attempts in total, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The ceiling of the first retry's random delay; it doubles with each retry.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Throttled calls back off from a larger base, so a busy quota recovers.</summary>
    public TimeSpan ThrottlingBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalFailure", "InternalError", "InternalServiceError",
        "InternalServerError", "ServiceUnavailable", "ServiceUnavailableException",
    };

    public static bool IsThrottlingCode(string? code) => code is not null && ThrottlingCodes.Contains(code);

    /// <summary>Whether an answer with this status and code is worth another attempt.</summary>
    public static bool IsRetryable(HttpStatusCode status, string? code) =>
        IsThrottlingCode(code) || (code is not null && TransientCodes.Contains(code))
        || status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first retry).</summary>
    public TimeSpan DelayBefore(int retry, bool throttled)
    {
        var baseDelay = throttled ? ThrottlingBaseDelay : BaseDelay;
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
