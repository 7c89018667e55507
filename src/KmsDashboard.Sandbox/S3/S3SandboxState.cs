using KmsDashboard.Sandbox.CloudTrail;

namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// The sandbox's S3 for other sandbox code (the demo seed, tests): the same store and rules the wire protocol uses, so
/// a bucket made here is the bucket the SDKs see. Objects put here are really encrypted: SSE-KMS calls the sandbox's KMS
/// in the bucket's Region on <c>accessKeyId</c>'s behalf (GenerateDataKey, recorded in CloudTrail and CloudWatch as
/// invoked by s3.amazonaws.com). Bad input throws <see cref="S3Exception"/> with S3's code and changes nothing.
/// </summary>
public sealed class S3SandboxState
{
    private readonly S3Store _store;

    internal S3SandboxState(S3Store store) => _store = store;

    /// <summary>How long (real time) a new object waits before replication; its status reads PENDING meanwhile.</summary>
    public TimeSpan ReplicationDelay
    {
        get => _store.ReplicationDelay;
        set => _store.ReplicationDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Creates a general purpose bucket in a Region (for life); BucketAlreadyOwnedByYou, InvalidBucketName as S3 answers.</summary>
    public S3BucketView CreateBucket(string region, string name)
    {
        _store.CreateBucket(region, name, region == S3Store.DefaultRegion ? null : region);
        return GetBucket(name)!;
    }

    public S3BucketView? GetBucket(string name)
    {
        lock (_store.Gate)
        {
            var bucket = _store.Buckets.FirstOrDefault(b => b.Name == name);
            return bucket is null ? null : View(bucket);
        }
    }

    /// <summary>Every bucket, or those of one Region, by name.</summary>
    public IReadOnlyList<S3BucketView> ListBuckets(string? region = null)
    {
        lock (_store.Gate)
            return [.. _store.Buckets.Where(b => region is null || b.Region == region).OrderBy(b => b.Name, StringComparer.Ordinal).Select(View)];
    }

    /// <summary>
    /// The bucket's default encryption (PutBucketEncryption; null deletes it). The KMS key is stored as named (id, key ARN,
    /// alias name or alias ARN) and not checked, as S3 does: a bad key shows at the next write.
    /// </summary>
    public void SetDefaultEncryption(string bucket, BucketEncryption? encryption) => _store.SetEncryption(bucket, encryption);

    /// <summary>SSE-KMS by default with this key (any of its names).</summary>
    public void SetDefaultKmsEncryption(string bucket, string kmsKeyId, bool bucketKeyEnabled = false) =>
        _store.SetEncryption(bucket, new BucketEncryption(BucketEncryption.Kms, kmsKeyId, bucketKeyEnabled));

    public void SetVersioning(string bucket, bool enabled) => _store.SetVersioning(bucket, enabled ? "Enabled" : "Suspended");

    /// <summary>PutBucketReplication (null deletes it): versioning on both buckets, destinations that exist, as S3 requires.</summary>
    public void SetReplication(string bucket, BucketReplication? configuration) => _store.SetReplication(bucket, configuration);

    public void SetTags(string bucket, IReadOnlyDictionary<string, string>? tags) =>
        _store.SetTags(bucket, tags is null ? null : new OrderedDictionary<string, string>(tags, StringComparer.Ordinal));

    /// <summary>
    /// PutObject: with <paramref name="kmsKeyId"/> the object is SSE-KMS under that key (as the header would ask),
    /// otherwise the bucket's default applies. Replication rules apply as for any write.
    /// </summary>
    public S3ObjectView PutObject(string bucket, string key, byte[] body, string? kmsKeyId = null, string contentType = "binary/octet-stream",
        string accessKeyId = DemoAccessKeys.Alice, bool? bucketKeyEnabled = null)
    {
        var sse = kmsKeyId is null ? SseRequest.None with { BucketKeyEnabled = bucketKeyEnabled } : new SseRequest(BucketEncryption.Kms, kmsKeyId, bucketKeyEnabled, null);
        var version = _store.PutObject(bucket, key, body, ObjectWrite.Plain(contentType, sse), accessKeyId);
        return View(bucket, version);
    }

    /// <summary>
    /// Adds <paramref name="count"/> objects of <paramref name="size"/> random bytes named <c>{prefix}{i:D6}</c> (or by
    /// <paramref name="keyName"/>) in one go, for benchmarks and demos: one KMS GenerateDataKey for the whole batch
    /// (SSE-KMS with S3 Bucket Keys under <paramref name="kmsKeyId"/>; SSE-S3 when null), no replication, no
    /// per-object events. The objects list, head and read back like any other. Returns the number added.
    /// </summary>
    public int AddSyntheticObjects(string bucket, int count, string? kmsKeyId, string prefix = "synthetic/", int size = 64,
        Func<int, string>? keyName = null, string accessKeyId = DemoAccessKeys.Alice) =>
        _store.AddSynthetic(bucket, count, keyName ?? (i => $"{prefix}{i:D6}"), kmsKeyId, size, accessKeyId);

    /// <summary>The current version's description, or null when there is none (or it is a delete marker).</summary>
    public S3ObjectView? HeadObject(string bucket, string key)
    {
        lock (_store.Gate)
        {
            var version = _store.Bucket(bucket).Latest(key);
            return version is null || version.IsDeleteMarker ? null : View(bucket, version);
        }
    }

    /// <summary>The current versions under a prefix, in key order.</summary>
    public IReadOnlyList<S3ObjectView> ListObjects(string bucket, string prefix = "")
    {
        lock (_store.Gate)
        {
            var b = _store.Bucket(bucket);
            return [.. b.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(b.Latest)
                .Where(v => v is { IsDeleteMarker: false }).Select(v => View(bucket, v!))];
        }
    }

    /// <summary>GetObject: decrypts through KMS Decrypt on <paramref name="accessKeyId"/>'s behalf.</summary>
    public byte[] GetObject(string bucket, string key, string accessKeyId = DemoAccessKeys.Alice)
    {
        var (b, version) = _store.Find(bucket, key, null);
        return _store.Read(b, version, accessKeyId);
    }

    /// <summary>Waits until every queued replication has run (COMPLETED or FAILED).</summary>
    public async Task WaitForReplicationAsync(CancellationToken cancellationToken = default)
    {
        while (_store.PendingReplications > 0) await Task.Delay(25, cancellationToken);
    }

    private static S3BucketView View(S3Bucket bucket) => new(bucket.Name, bucket.Region, bucket.Arn, bucket.CreationDate, bucket.Versioning,
        bucket.Encryption, bucket.Replication, bucket.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(bucket.Tags),
        bucket.Versions.Values.Count(v => v.Count > 0 && !v[0].IsDeleteMarker));

    private static S3ObjectView View(string bucket, S3ObjectVersion version) => new(bucket, version.Key, version.VersionId, version.Size, version.ETag,
        version.LastModified, version.Encryption?.Algorithm ?? BucketEncryption.S3Managed, version.Encryption?.KmsKeyArn,
        version.Encryption?.BucketKeyEnabled ?? false, version.ReplicationStatus);
}
