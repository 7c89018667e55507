using Amazon.Runtime;

namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>LookupEvents output (Amazon.CloudTrail.Model.LookupEventsResponse): events newest first.</summary>
public sealed class LookupEventsResponse : AmazonWebServiceResponse
{
    public List<Event> Events { get; set; } = [];
    public string? NextToken { get; set; }
}
