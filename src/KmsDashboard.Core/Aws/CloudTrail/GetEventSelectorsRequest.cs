namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>GetEventSelectors input: the trail's name or ARN.</summary>
public sealed class GetEventSelectorsRequest
{
    public string? TrailName { get; set; }
}
