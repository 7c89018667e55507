namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// One trail of the sandbox's account, as DescribeTrails, GetTrailStatus and GetEventSelectors report it. A
/// multi-Region trail lives in its home Region and appears in every other Region as a shadow trail.
/// </summary>
public sealed record SandboxTrail(
    string Name,
    string HomeRegion,
    bool IsMultiRegionTrail,
    bool IncludeGlobalServiceEvents,
    string S3BucketName,
    bool LogFileValidationEnabled,
    IReadOnlyList<TrailEventSelector> EventSelectors,
    bool IsLogging,
    DateTimeOffset StartLoggingTime,
    DateTimeOffset? StopLoggingTime)
{
    public string Arn(string accountId) => $"arn:aws:cloudtrail:{HomeRegion}:{accountId}:trail/{Name}";

    /// <summary>Whether the selectors differ from CloudTrail's default: every management event, read and write, no data events.</summary>
    public bool HasCustomEventSelectors =>
        EventSelectors.Count != 1 || EventSelectors[0] != TrailEventSelector.AllManagementEvents;

    /// <summary>Whether the trail is seen in <paramref name="region"/>: its home, or any Region for a multi-Region trail.</summary>
    public bool VisibleIn(string region) => IsMultiRegionTrail || HomeRegion == region;
}

/// <summary>A basic event selector (botocore's <c>EventSelector</c>).</summary>
public sealed record TrailEventSelector(string ReadWriteType, bool IncludeManagementEvents, IReadOnlyList<TrailDataResource> DataResources)
{
    public static readonly TrailEventSelector AllManagementEvents = new("All", true, []);

    public bool Equals(TrailEventSelector? other) =>
        other is not null && ReadWriteType == other.ReadWriteType && IncludeManagementEvents == other.IncludeManagementEvents
        && DataResources.SequenceEqual(other.DataResources);

    public override int GetHashCode() => HashCode.Combine(ReadWriteType, IncludeManagementEvents, DataResources.Count);
}

/// <summary>A data-event resource of an event selector: a type (<c>AWS::S3::Object</c>) and ARN prefixes.</summary>
public sealed record TrailDataResource(string Type, IReadOnlyList<string> Values)
{
    public bool Equals(TrailDataResource? other) => other is not null && Type == other.Type && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Type, Values.Count);
}
