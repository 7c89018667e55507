namespace KmsDashboard.Sandbox.S3;

/// <summary>One new object version waiting to be replicated under a rule, due at a real time.</summary>
internal sealed record ReplicationTask(long Generation, string SourceBucket, string Key, string VersionId, BucketReplicationRule Rule, DateTimeOffset DueAt);
