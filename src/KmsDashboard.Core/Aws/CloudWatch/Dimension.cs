namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>A metric dimension (shaped like Amazon.CloudWatch.Model.Dimension).</summary>
public sealed class Dimension
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}
