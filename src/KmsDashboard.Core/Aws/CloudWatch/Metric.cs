namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>A metric: namespace, name and dimensions (Amazon.CloudWatch.Model.Metric).</summary>
public sealed class Metric
{
    public string Namespace { get; set; } = "";
    public string MetricName { get; set; } = "";
    public List<Dimension> Dimensions { get; set; } = [];
}
