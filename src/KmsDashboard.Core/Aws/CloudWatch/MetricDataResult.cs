namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>The data points of one query (Amazon.CloudWatch.Model.MetricDataResult); Timestamps[i] goes with Values[i].</summary>
public sealed class MetricDataResult
{
    public string Id { get; set; } = "";
    public string? Label { get; set; }
    public List<DateTime> Timestamps { get; set; } = [];
    public List<double> Values { get; set; } = [];
    /// <summary>Complete, PartialData, InternalError or Forbidden.</summary>
    public string? StatusCode { get; set; }
    public List<MessageData> Messages { get; set; } = [];
}
