namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>One query of a GetMetricData call (Amazon.CloudWatch.Model.MetricDataQuery).</summary>
public sealed class MetricDataQuery
{
    /// <summary>Unique in the call; letters, digits and underscore, starting with a lower-case letter.</summary>
    public string Id { get; set; } = "";
    public MetricStat? MetricStat { get; set; }
    public string? Expression { get; set; }
    public string? Label { get; set; }
    public bool? ReturnData { get; set; }
    public int? Period { get; set; }
    public string? AccountId { get; set; }
}
