namespace KmsDashboard.Core.Dependents;

/// <summary>A bucket whose default encryption names the key (by the name written in its configuration).</summary>
public sealed record BucketDependency(string Bucket, string BucketRegion, string KmsMasterKeyId, KeyNameKind NamedBy, string KeyRegion,
    bool BucketKeyEnabled, DateTimeOffset? ReadAt)
{
    /// <summary>The bucket's account ("" in the single-account set-up): another account's bucket may name the key by its ARN.</summary>
    public string Account { get; init; } = "";

    /// <summary>S3 uses a key of the bucket's own Region only: an ARN of another Region fails at the next upload.</summary>
    public bool KeyInOtherRegion => !string.Equals(BucketRegion, KeyRegion, StringComparison.Ordinal);
}
