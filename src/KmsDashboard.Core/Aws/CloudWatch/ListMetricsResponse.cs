using Amazon.Runtime;

namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>ListMetrics output, up to 500 metrics a page (Amazon.CloudWatch.Model.ListMetricsResponse).</summary>
public sealed class ListMetricsResponse : AmazonWebServiceResponse
{
    public List<Metric> Metrics { get; set; } = [];
    public string? NextToken { get; set; }
}
