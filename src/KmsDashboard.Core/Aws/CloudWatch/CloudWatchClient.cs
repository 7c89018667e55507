using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>
/// CloudWatch's GetMetricData and ListMetrics over AWS JSON 1.0 (query-compatible), with the method names and
/// shapes of AWSSDK.CloudWatch's <c>AmazonCloudWatchClient</c> so the official package can replace it.
/// </summary>
public sealed class CloudWatchClient : AwsJsonClient
{
    /// <summary>GetMetricData accepts at most this many queries per call.</summary>
    public const int MaxQueriesPerCall = 500;

    /// <summary>GetMetricData returns at most this many data points per call.</summary>
    public const int MaxDatapointsPerCall = 100_800;

    public CloudWatchClient(AwsClients clients, string region, AwsRetryPolicy? retry = null, ILogger? logger = null)
        : base(clients, region, AwsJsonProtocol.CloudWatch, retry: retry, logger: logger)
    {
    }

    public CloudWatchClient(AWSCredentials credentials, string region, Uri? endpoint, AwsRetryPolicy? retry = null, HttpClient? http = null)
        : base(credentials, region, AwsJsonProtocol.CloudWatch, endpoint, http, retry)
    {
    }

    /// <summary>One page of GetMetricData.</summary>
    public Task<GetMetricDataResponse> GetMetricDataAsync(GetMetricDataRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync<GetMetricDataRequest, GetMetricDataResponse>("GetMetricData", request, cancellationToken);
    }

    /// <summary>One page of ListMetrics (up to 500 metrics).</summary>
    public Task<ListMetricsResponse> ListMetricsAsync(ListMetricsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return InvokeAsync<ListMetricsRequest, ListMetricsResponse>("ListMetrics", request, cancellationToken);
    }

    /// <summary>
    /// Every page of GetMetricData, following NextToken, with each query's data points joined into one result.
    /// <paramref name="pages"/> counts the calls made.
    /// </summary>
    public async Task<GetMetricDataResponse> GetAllMetricDataAsync(
        GetMetricDataRequest request, CancellationToken cancellationToken = default, StrongBox<int>? pages = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var merged = new Dictionary<string, MetricDataResult>(StringComparer.Ordinal);
        var order = new List<string>();
        var messages = new List<MessageData>();
        var page = new GetMetricDataRequest
        {
            MetricDataQueries = request.MetricDataQueries, StartTime = request.StartTime, EndTime = request.EndTime,
            ScanBy = request.ScanBy, MaxDatapoints = request.MaxDatapoints, LabelOptions = request.LabelOptions,
            NextToken = request.NextToken,
        };
        GetMetricDataResponse response;
        do
        {
            response = await GetMetricDataAsync(page, cancellationToken);
            if (pages is not null) pages.Value++;
            messages.AddRange(response.Messages ?? []);
            foreach (var result in response.MetricDataResults ?? [])
            {
                if (!merged.TryGetValue(result.Id, out var into))
                {
                    merged[result.Id] = into = new MetricDataResult { Id = result.Id, Label = result.Label };
                    order.Add(result.Id);
                }
                into.Timestamps.AddRange(result.Timestamps ?? []);
                into.Values.AddRange(result.Values ?? []);
                into.Messages.AddRange(result.Messages ?? []);
                into.StatusCode = result.StatusCode;
            }
            page.NextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(response.NextToken));

        return new GetMetricDataResponse
        {
            MetricDataResults = [.. order.Select(id => merged[id])],
            Messages = messages,
            ResponseMetadata = response.ResponseMetadata,
            HttpStatusCode = response.HttpStatusCode,
        };
    }

    /// <summary>Every metric matching the filter, page by page.</summary>
    public async IAsyncEnumerable<Metric> ListAllMetricsAsync(
        ListMetricsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = new ListMetricsRequest
        {
            Namespace = request.Namespace, MetricName = request.MetricName, Dimensions = request.Dimensions,
            RecentlyActive = request.RecentlyActive, NextToken = request.NextToken,
        };
        do
        {
            var response = await ListMetricsAsync(page, cancellationToken);
            foreach (var metric in response.Metrics ?? []) yield return metric;
            page.NextToken = response.NextToken;
        }
        while (!string.IsNullOrEmpty(page.NextToken));
    }
}
