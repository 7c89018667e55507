namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>One trail of DescribeTrails (Amazon.CloudTrail.Model.Trail).</summary>
public sealed class Trail
{
    public string? Name { get; set; }
    public string? S3BucketName { get; set; }
    public bool? IncludeGlobalServiceEvents { get; set; }
    public bool? IsMultiRegionTrail { get; set; }
    public string? HomeRegion { get; set; }
    public string? TrailARN { get; set; }
    public bool? LogFileValidationEnabled { get; set; }
    public bool? HasCustomEventSelectors { get; set; }
    public bool? HasInsightSelectors { get; set; }
    public bool? IsOrganizationTrail { get; set; }
}
