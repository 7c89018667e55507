namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>ListMetrics input (Amazon.CloudWatch.Model.ListMetricsRequest).</summary>
public sealed class ListMetricsRequest
{
    public string? Namespace { get; set; }
    public string? MetricName { get; set; }
    /// <summary>At most 10.</summary>
    public List<DimensionFilter>? Dimensions { get; set; }
    public string? NextToken { get; set; }
    /// <summary>PT3H, the only value: metrics with data in the past three hours.</summary>
    public string? RecentlyActive { get; set; }
}
