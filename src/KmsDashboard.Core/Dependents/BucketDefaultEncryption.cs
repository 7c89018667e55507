namespace KmsDashboard.Core.Dependents;

/// <summary>A bucket's default encryption: the algorithm (<c>aws:kms</c>, <c>aws:kms:dsse</c>, <c>AES256</c>) and the key as written.</summary>
public sealed record BucketDefaultEncryption(string Algorithm, string? KmsMasterKeyId, bool BucketKeyEnabled)
{
    public bool UsesKms => Algorithm.StartsWith("aws:kms", StringComparison.Ordinal);
}
