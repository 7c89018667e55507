namespace KmsDashboard.Core.Dependents;

/// <summary>
/// What one Region's key has depending on it: its grants and its CloudTrail callers, each with its own outcome, so a
/// failing read is shown with its error (and since when) next to whatever else was read.
/// </summary>
public sealed record RegionDependents
{
    public required string Region { get; init; }
    public required string KeyArn { get; init; }
    public string KeyState { get; init; } = "";
    public IReadOnlyList<KeyGrant> Grants { get; init; } = [];
    public string? GrantsError { get; init; }
    public DateTimeOffset? GrantsFailingSince { get; init; }
    public IReadOnlyList<KeyCaller> Callers { get; init; } = [];
    public string? CallersError { get; init; }
    public DateTimeOffset? CallersFailingSince { get; init; }
    /// <summary>CloudTrail events counted; when <see cref="CallersTruncated"/>, only the newest ones (back to <see cref="CountedFrom"/>).</summary>
    public int EventsCounted { get; init; }
    public bool CallersTruncated { get; init; }
    public DateTimeOffset? CountedFrom { get; init; }
    public DateTimeOffset ReadAt { get; init; }

    public bool Failing => GrantsError is not null || CallersError is not null;
}
