namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>GetTrailStatus input: the trail's name (trails homed in the Region) or ARN (needed for a shadow trail).</summary>
public sealed class GetTrailStatusRequest
{
    public string? Name { get; set; }
}
