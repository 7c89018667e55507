namespace KmsDashboard.Core.Aws.CloudWatch;

/// <summary>Time zone for dynamic labels, e.g. +0130 (Amazon.CloudWatch.Model.LabelOptions).</summary>
public sealed class LabelOptions
{
    public string? Timezone { get; set; }
}
