using Amazon.Runtime;

namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>GetMetricData output (Amazon.CloudWatch.Model.GetMetricDataResponse).</summary>
public sealed class GetMetricDataResponse : AmazonWebServiceResponse
{
    public List<MetricDataResult> MetricDataResults { get; set; } = [];
    public string? NextToken { get; set; }
    public List<MessageData> Messages { get; set; } = [];
}
