namespace KmsDashboard.Core.Dependents;

/// <summary>A replication rule that encrypts its replicas with the key (<c>ReplicaKmsKeyID</c>).</summary>
public sealed record ReplicationDependency(string SourceBucket, string SourceRegion, string RuleId, string Status, string DestinationBucket,
    string? DestinationRegion, string ReplicaKmsKeyId, KeyNameKind NamedBy, string KeyRegion, DateTimeOffset? ReadAt)
{
    /// <summary>The source bucket's account ("" in the single-account set-up).</summary>
    public string Account { get; init; } = "";
}
