namespace KmsDashboard.Core.Aws.CloudTrail;

/// <summary>One event of LookupEvents (Amazon.CloudTrail.Model.Event); <see cref="CloudTrailEvent"/> is the full record as JSON.</summary>
public sealed class Event
{
    public string? EventId { get; set; }
    public string? EventName { get; set; }
    /// <summary>"true" or "false", as CloudTrail sends it.</summary>
    public string? ReadOnly { get; set; }
    public string? AccessKeyId { get; set; }
    public DateTime? EventTime { get; set; }
    public string? EventSource { get; set; }
    public string? Username { get; set; }
    public List<Resource> Resources { get; set; } = [];
    public string? CloudTrailEvent { get; set; }
}
