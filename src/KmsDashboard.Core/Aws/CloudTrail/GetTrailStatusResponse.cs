using Amazon.Runtime;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>GetTrailStatus output (Amazon.CloudTrail.Model.GetTrailStatusResponse), the fields the dashboard reads.</summary>
public sealed class GetTrailStatusResponse : AmazonWebServiceResponse
{
    public bool? IsLogging { get; set; }
    public DateTime? StartLoggingTime { get; set; }
    public DateTime? StopLoggingTime { get; set; }
    public DateTime? LatestDeliveryTime { get; set; }
    public string? LatestDeliveryError { get; set; }
}
