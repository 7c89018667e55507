namespace KmsDashboard.Core.Dependents;

/// <summary>How a configuration names a KMS key: S3 and replication rules accept all four.</summary>
public enum KeyNameKind
{
    KeyId,
    KeyArn,
    AliasName,
    AliasArn,
}
