using System.Text.Json.Serialization;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// A bucket's object scan as persisted after every whole page: the counts per key so far and the continuation token
/// of the next page, so a scan resumes where it stopped without counting an object twice.
/// </summary>
public sealed record ObjectScanState
{
    public const string NotEncrypted = "none";
    public const string SseS3 = "AES256";

    public required string Bucket { get; init; }
    /// <summary>The bucket's account ("" in the single-account set-up, and in scans saved before accounts).</summary>
    public string Account { get; init; } = "";
    public required string Region { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>When the counts were last added to (the time they were read).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public ObjectScanStatus Status { get; init; }
    public string? Error { get; init; }
    /// <summary>The next page to list; null before the first page and after the last.</summary>
    public string? ContinuationToken { get; init; }
    public long ObjectsScanned { get; init; }
    public int PagesDone { get; init; }
    /// <summary>Objects listed but gone by the time of their HeadObject (deleted during the scan).</summary>
    public long Vanished { get; init; }
    /// <summary>Objects per KMS key ARN, or per <see cref="SseS3"/> / <see cref="NotEncrypted"/>.</summary>
    public IReadOnlyDictionary<string, long> CountsByKey { get; init; } = new Dictionary<string, long>();

    [JsonIgnore]
    public bool Resumable => Status is ObjectScanStatus.Cancelled or ObjectScanStatus.Failed or ObjectScanStatus.Running;
}
