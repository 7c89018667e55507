namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>GetMetricData input (Amazon.CloudWatch.Model.GetMetricDataRequest).</summary>
public sealed class GetMetricDataRequest
{
    /// <summary>At most 500.</summary>
    public List<MetricDataQuery> MetricDataQueries { get; set; } = [];
    /// <summary>Inclusive; CloudWatch rounds it down to the minute, 5 minutes or hour by its age.</summary>
    public DateTime? StartTime { get; set; }
    /// <summary>Exclusive.</summary>
    public DateTime? EndTime { get; set; }
    public string? NextToken { get; set; }
    /// <summary>TimestampDescending (default) or TimestampAscending.</summary>
    public string? ScanBy { get; set; }
    /// <summary>Data points per page across all queries; default and maximum 100,800.</summary>
    public int? MaxDatapoints { get; set; }
    public LabelOptions? LabelOptions { get; set; }
}
