using KmsDashboard.Core.Aws.CloudTrail;

namespace KmsDashboard.Core.Audit;

/// <summary>One LookupEvents series to run: a Region (of an account) and at most one attribute.</summary>
public sealed record AuditLookup(string Region, string? AttributeKey, string? AttributeValue)
{
    /// <summary>The account whose CloudTrail is read: "" for the single account.</summary>
    public string Account { get; init; } = "";

    public LookupEventsRequest ToRequest(AuditQuery query) => new()
    {
        LookupAttributes = AttributeKey is null ? null : [new LookupAttribute { AttributeKey = AttributeKey, AttributeValue = AttributeValue ?? "" }],
        StartTime = query.Start.UtcDateTime,
        EndTime = query.End.UtcDateTime,
        MaxResults = 50,
    };
}
