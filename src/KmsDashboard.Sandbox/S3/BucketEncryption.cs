namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// A bucket's default encryption rule: SSE-S3 (<c>AES256</c>) or SSE-KMS (<c>aws:kms</c>) with the key as the
/// configuration named it (key id, key ARN, alias name or alias ARN; S3 stores it unchecked), and S3 Bucket Keys.
/// </summary>
public sealed record BucketEncryption(string Algorithm, string? KmsMasterKeyId, bool BucketKeyEnabled)
{
    public const string Kms = "aws:kms";
    public const string S3Managed = "AES256";
}
