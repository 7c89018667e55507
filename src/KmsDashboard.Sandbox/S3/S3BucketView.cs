namespace KmsDashboard.Sandbox.S3;

/// <summary>A bucket as <see cref="S3SandboxState"/> shows it: a snapshot, never the live object.</summary>
public sealed record S3BucketView(
    string Name,
    string Region,
    string Arn,
    DateTimeOffset CreationDate,
    string? Versioning,
    BucketEncryption? DefaultEncryption,
    BucketReplication? Replication,
    IReadOnlyDictionary<string, string> Tags,
    int ObjectCount);
