using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// One CloudTrail record in compact form; the full JSON record is written only when a lookup returns it.
/// Recorded (live) events carry their parameters; seeded history builds them on demand.
/// </summary>
internal sealed class TrailEvent
{
    /// <summary>Whole seconds, as CloudTrail records them.</summary>
    public required DateTimeOffset Time { get; init; }
    public required string Region { get; init; }
    public required string EventSource { get; init; }
    public required string EventName { get; init; }
    public required string EventId { get; init; }
    public required string RequestId { get; init; }
    public required TrailPrincipal Principal { get; init; }
    public string AccessKeyId { get; init; } = "";
    public string SourceIp { get; init; } = "127.0.0.1";
    public string UserAgent { get; init; } = "";
    public bool ReadOnly { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>Resource ARNs; KMS key ARNs become <c>AWS::KMS::Key</c> resources.</summary>
    public IReadOnlyList<string> Resources { get; init; } = [];
    /// <summary>AwsApiCall or AwsServiceEvent.</summary>
    public string EventType { get; init; } = "AwsApiCall";
    public JsonObject? RequestParameters { get; init; }
    public JsonObject? ResponseElements { get; init; }
    /// <summary>Builds request parameters for seeded events (kept out of memory until a lookup returns the event).</summary>
    public Func<JsonObject?>? RequestParametersFactory { get; init; }
    /// <summary>Set on service-invoked calls (e.g. s3.amazonaws.com on behalf of a user).</summary>
    public string? InvokedBy { get; init; }
    /// <summary>The interface VPC endpoint the call came through, when it did (CloudTrail's vpcEndpointId).</summary>
    public string? VpcEndpointId { get; init; }

    /// <summary>Newest first: later time first, then the greater event id first (a total order for paging).</summary>
    public static int CompareNewestFirst(TrailEvent a, TrailEvent b)
    {
        var byTime = b.Time.CompareTo(a.Time);
        return byTime != 0 ? byTime : string.CompareOrdinal(b.EventId, a.EventId);
    }

    /// <summary>True when this event comes strictly after the cursor in newest-first order.</summary>
    public bool IsAfter(DateTimeOffset cursorTime, string cursorEventId) =>
        Time < cursorTime || (Time == cursorTime && string.CompareOrdinal(EventId, cursorEventId) < 0);

    public string Username => Principal.Username;

    public static DateTimeOffset ToWholeSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
