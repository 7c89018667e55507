namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>A message about a GetMetricData call or one of its results (Amazon.CloudWatch.Model.MessageData).</summary>
public sealed class MessageData
{
    public string? Code { get; set; }
    public string? Value { get; set; }
}
