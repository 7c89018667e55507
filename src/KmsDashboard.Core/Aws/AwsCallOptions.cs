namespace KmsDashboard.Core.Aws;

/// <summary>
/// <c>Backend:Calls</c>: how long one SDK request may take and how often it is tried again. Reads retry (the SDK's
/// standard mode: throttling, 5xx and network errors, with backoff); key changes are sent once, since a write that
/// timed out may have taken effect and is reported "unknown — verify" instead of being sent again.
/// </summary>
public sealed class AwsCallOptions
{
    /// <summary>One HTTP attempt's limit (the SDK's <c>Timeout</c>).</summary>
    public int RequestTimeoutSeconds { get; set; } = 20;

    /// <summary>Opening the connection (the SDK's <c>ConnectTimeout</c>).</summary>
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>Retries after the first attempt for reads (the SDK's <c>MaxErrorRetry</c>, standard retry mode).</summary>
    public int ReadRetries { get; set; } = 2;

    /// <summary>Retries for key changes; 0 so that an unanswered change is verified, not repeated.</summary>
    public int WriteRetries { get; set; }
}
