namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>A ListMetrics dimension filter; a null <see cref="Value"/> matches any value (Amazon.CloudWatch.Model.DimensionFilter).</summary>
public sealed class DimensionFilter
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
}
