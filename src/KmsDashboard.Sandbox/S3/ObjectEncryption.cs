namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// How one stored object is encrypted: the algorithm S3 reports (<c>aws:kms</c> or <c>AES256</c>), for SSE-KMS the key's
/// full ARN, Bucket Key use and the encryption context KMS bound the data key to, and the wrapped data key.
/// </summary>
internal sealed record ObjectEncryption(
    string Algorithm,
    string? KmsKeyArn,
    bool BucketKeyEnabled,
    IReadOnlyDictionary<string, string> Context,
    byte[] WrappedDataKey)
{
    public bool IsKms => Algorithm == BucketEncryption.Kms;
}
