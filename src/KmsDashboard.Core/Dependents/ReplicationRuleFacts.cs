namespace KmsDashboard.Core.Dependents;

/// <summary>One replication rule of a bucket, with the key replicas are encrypted under (as written).</summary>
public sealed record ReplicationRuleFacts(string RuleId, string Status, string DestinationBucket, string? ReplicaKmsKeyId, bool SseKmsEncryptedObjects);
