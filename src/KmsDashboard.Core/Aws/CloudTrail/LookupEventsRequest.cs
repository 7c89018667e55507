namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>LookupEvents input (Amazon.CloudTrail.Model.LookupEventsRequest).</summary>
public sealed class LookupEventsRequest
{
    public List<LookupAttribute>? LookupAttributes { get; set; }
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public string? EventCategory { get; set; }
    /// <summary>1 to 50; CloudTrail's default is 50.</summary>
    public int? MaxResults { get; set; }
    public string? NextToken { get; set; }
}
