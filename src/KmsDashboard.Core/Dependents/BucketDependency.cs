namespace KmsDashboard.Core.Dependents;

/// <summary>A bucket whose default encryption names the key (by the name written in its configuration).</summary>
public sealed record BucketDependency(string Bucket, string BucketRegion, string KmsMasterKeyId, KeyNameKind NamedBy, string KeyRegion,
    bool BucketKeyEnabled, DateTimeOffset? ReadAt)
{
    /// <summary>S3 uses a key of the bucket's own Region only: an ARN of another Region fails at the next upload.</summary>
    public bool KeyInOtherRegion => !string.Equals(BucketRegion, KeyRegion, StringComparison.Ordinal);
}
