namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// One rule of a bucket's replication configuration: which new objects (by key prefix; SSE-KMS ones only when
/// <see cref="SseKmsEncryptedObjects"/>) go to which bucket, encrypted there under <see cref="ReplicaKmsKeyId"/>.
/// <see cref="UsesFilter"/> says whether the rule was written with <c>&lt;Filter&gt;</c> (V2) or a bare <c>&lt;Prefix&gt;</c> (V1).
/// </summary>
public sealed record BucketReplicationRule(
    string Id,
    string DestinationBucket,
    string? ReplicaKmsKeyId,
    bool SseKmsEncryptedObjects = true,
    string Prefix = "",
    int? Priority = null,
    bool Enabled = true,
    string? StorageClass = null,
    bool DeleteMarkerReplication = false,
    bool UsesFilter = true)
{
    public string DestinationBucketArn => "arn:aws:s3:::" + DestinationBucket;
}
