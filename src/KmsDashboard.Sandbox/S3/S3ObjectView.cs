namespace KmsDashboard.Sandbox.S3;

/// <summary>An object's current version as HeadObject describes it: encryption with the key as a full ARN, replication status.</summary>
public sealed record S3ObjectView(
    string Bucket,
    string Key,
    string VersionId,
    long Size,
    string ETag,
    DateTimeOffset LastModified,
    string ServerSideEncryption,
    string? KmsKeyArn,
    bool BucketKeyEnabled,
    string? ReplicationStatus);
