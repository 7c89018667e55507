using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>
/// CloudTrail over AWS JSON 1.1, shaped like AWSSDK.CloudTrail's <c>AmazonCloudTrailClient</c>: LookupEvents, whose
/// every attempt waits for a slot of the shared <see cref="CloudTrailRateLimiter"/> (throttled attempts are retried in a
/// new slot with backoff), and the trail reads DescribeTrails, GetTrailStatus and GetEventSelectors (not limited by
/// LookupEvents' two a second; retried with backoff).
/// </summary>
public sealed class CloudTrailClient : AwsJsonClient
{
    /// <summary>Attempts in the base class: one, since retries here must each take a rate-limit slot.</summary>
    private static readonly AwsRetryPolicy SingleAttempt = new() { MaxAttempts = 1 };

    private readonly CloudTrailRateLimiter _limiter;
    private readonly AwsRetryPolicy _retry;
    private readonly ILogger _logger;

    public CloudTrailClient(AwsClients clients, string region, CloudTrailRateLimiter limiter, AwsRetryPolicy? retry = null, ILogger? logger = null)
        : base(clients, region, AwsJsonProtocol.CloudTrail, retry: SingleAttempt, logger: logger)
    {
        Account = clients.AccountId;
        _limiter = limiter;
        _retry = retry ?? new AwsRetryPolicy { MaxAttempts = 6 };
        _logger = logger ?? NullLogger.Instance;
    }

    public CloudTrailClient(AWSCredentials credentials, string region, Uri? endpoint, CloudTrailRateLimiter limiter, AwsRetryPolicy? retry = null)
        : base(credentials, region, AwsJsonProtocol.CloudTrail, endpoint, retry: SingleAttempt)
    {
        _limiter = limiter;
        _retry = retry ?? new AwsRetryPolicy { MaxAttempts = 6 };
        _logger = NullLogger.Instance;
    }

    /// <summary>The account whose slots pace this client: "" for the dashboard's own credentials, else the assumed role's account.</summary>
    public string Account { get; } = "";

    /// <summary>Requests made (attempts, retries included), for progress and benchmarks.</summary>
    public long Requests => Interlocked.Read(ref _requests);
    private long _requests;

    /// <summary>One page of LookupEvents.</summary>
    public async Task<LookupEventsResponse> LookupEventsAsync(LookupEventsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            await _limiter.WaitAsync(Account, Region, cancellationToken);
            Interlocked.Increment(ref _requests);
            try
            {
                return await InvokeAsync<LookupEventsRequest, LookupEventsResponse>("LookupEvents", request, cancellationToken);
            }
            catch (AwsServiceException ex) when (attempt < _retry.MaxAttempts
                                                  && (ex.IsThrottling || AwsRetryPolicy.IsRetryable(ex.StatusCode, ex.ErrorCode) || ex.StatusCode == 0))
            {
                var delay = _retry.DelayBefore(attempt, ex.IsThrottling);
                _logger.LogDebug("LookupEvents in {Region} failed with {ErrorCode} (attempt {Attempt}); retrying in {DelayMs} ms",
                    Region, ex.ErrorCode, attempt, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>The trails seen in the Region: its own and, unless excluded, other Regions' multi-Region trails.</summary>
    public Task<DescribeTrailsResponse> DescribeTrailsAsync(DescribeTrailsRequest request, CancellationToken cancellationToken = default) =>
        InvokeWithRetriesAsync<DescribeTrailsRequest, DescribeTrailsResponse>("DescribeTrails", request, cancellationToken);

    /// <summary>Whether a trail is logging, as seen from this Region (a shadow trail by its ARN).</summary>
    public Task<GetTrailStatusResponse> GetTrailStatusAsync(GetTrailStatusRequest request, CancellationToken cancellationToken = default) =>
        InvokeWithRetriesAsync<GetTrailStatusRequest, GetTrailStatusResponse>("GetTrailStatus", request, cancellationToken);

    /// <summary>A trail's event selectors: which management and data events it logs.</summary>
    public Task<GetEventSelectorsResponse> GetEventSelectorsAsync(GetEventSelectorsRequest request, CancellationToken cancellationToken = default) =>
        InvokeWithRetriesAsync<GetEventSelectorsRequest, GetEventSelectorsResponse>("GetEventSelectors", request, cancellationToken);

    private async Task<TResponse> InvokeWithRetriesAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
        where TResponse : class, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            Interlocked.Increment(ref _requests);
            try
            {
                return await InvokeAsync<TRequest, TResponse>(operation, request, cancellationToken);
            }
            catch (AwsServiceException ex) when (attempt < _retry.MaxAttempts && (AwsRetryPolicy.IsRetryable(ex.StatusCode, ex.ErrorCode) || ex.StatusCode == 0))
            {
                var delay = _retry.DelayBefore(attempt, ex.IsThrottling);
                _logger.LogDebug("{Operation} in {Region} failed with {ErrorCode} (attempt {Attempt}); retrying in {DelayMs} ms",
                    operation, Region, ex.ErrorCode, attempt, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>Every page of a lookup, following NextToken, newest first.</summary>
    public async IAsyncEnumerable<LookupEventsResponse> LookupAllPagesAsync(
        LookupEventsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = new LookupEventsRequest
        {
            LookupAttributes = request.LookupAttributes, StartTime = request.StartTime, EndTime = request.EndTime,
            EventCategory = request.EventCategory, MaxResults = request.MaxResults, NextToken = request.NextToken,
        };
        while (true)
        {
            var response = await LookupEventsAsync(page, cancellationToken);
            yield return response;
            if (string.IsNullOrEmpty(response.NextToken)) yield break;
            page.NextToken = response.NextToken;
        }
    }
}
