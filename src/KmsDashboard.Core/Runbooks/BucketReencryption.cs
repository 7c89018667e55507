namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// Step 6's persisted position in one bucket: the last object key done (listing resumes after it with StartAfter, so a
/// crash repeats no verified CopyObject), the counts so far, and the objects that failed (retried on the next run).
/// </summary>
public sealed class BucketReencryption
{
    public string Bucket { get; set; } = "";
    public string Region { get; set; } = "";

    /// <summary>The bucket's default encryption key as found when the step first saw the bucket.</summary>
    public string? OriginalDefaultKey { get; set; }
    public bool DefaultUpdated { get; set; }

    /// <summary>The last object key handled in listing order; null before the first.</summary>
    public string? LastKey { get; set; }
    /// <summary>The continuation token of the page being worked through (for display; resuming uses <see cref="LastKey"/>, tokens expire).</summary>
    public string? ContinuationToken { get; set; }
    /// <summary>True once a listing reached the bucket's end.</summary>
    public bool Listed { get; set; }

    /// <summary>The last key counted in <see cref="ListedCount"/>.</summary>
    public string? ListedThrough { get; set; }
    public int ListedCount { get; set; }
    public int Copied { get; set; }
    public int AlreadyNew { get; set; }
    /// <summary>Objects under neither key (another key, SSE-S3): left alone.</summary>
    public int Other { get; set; }
    public List<FailedObject> Failed { get; set; } = [];

    public int DoneCount => Copied + AlreadyNew + Other;
    public bool Complete => Listed && Failed.Count == 0;

    public string Progress => $"{DoneCount} of {ListedCount}{(Listed ? "" : "+")} objects done ({Copied} copied, {AlreadyNew} already under the new key, {Other} under other keys)" +
        (Failed.Count == 0 ? "" : $"; {Failed.Count} failed: {string.Join(", ", Failed.Take(5).Select(f => $"{f.Key} ({f.Error})"))}{(Failed.Count > 5 ? ", …" : "")}");
}
