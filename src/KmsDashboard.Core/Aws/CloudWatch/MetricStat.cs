namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>A metric with its period (seconds) and statistic (Amazon.CloudWatch.Model.MetricStat).</summary>
public sealed class MetricStat
{
    public Metric Metric { get; set; } = new();
    public int? Period { get; set; }
    /// <summary>Sum, Average, Minimum, Maximum, SampleCount (or an extended statistic).</summary>
    public string Stat { get; set; } = "";
    public string? Unit { get; set; }
}
