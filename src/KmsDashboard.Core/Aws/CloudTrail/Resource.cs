namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>A resource an event referenced (Amazon.CloudTrail.Model.Resource), e.g. AWS::KMS::Key and its ARN.</summary>
public sealed class Resource
{
    public string? ResourceType { get; set; }
    public string? ResourceName { get; set; }
}
