using System.Security.Cryptography;
using KmsDashboard.Sandbox.Kms;

namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// Envelope encryption of object bodies. SSE-KMS: a data key per object from KMS GenerateDataKey in the bucket's Region
/// with the encryption context <c>aws:s3:arn</c> = the object's ARN (the bucket's ARN with S3 Bucket Keys), unwrapped by
/// KMS Decrypt on each read, both called on the caller's behalf. SSE-S3: a data key wrapped by S3's own key.
/// </summary>
internal sealed class ObjectSealer(KmsOnBehalf kms)
{
    private const string ArnContextKey = "aws:s3:arn";
    private readonly byte[] _s3Key = RandomNumberGenerator.GetBytes(32);

    /// <summary>Makes the data key for a new object (calling KMS for SSE-KMS); KMS failures come back as S3's KMS.* errors.</summary>
    public (ObjectEncryption Encryption, byte[] DataKey) NewDataKey(string region, string bucket, string key, SseChoice choice, string accessKeyId)
    {
        if (choice.Algorithm != BucketEncryption.Kms)
        {
            var dataKey = RandomNumberGenerator.GetBytes(32);
            var wrapped = SealedBody.Encrypt(_s3Key, dataKey);
            return (new ObjectEncryption(BucketEncryption.S3Managed, null, false, new Dictionary<string, string>(),
                [.. wrapped.Nonce, .. wrapped.Tag, .. wrapped.Ciphertext]), dataKey);
        }
        var context = new Dictionary<string, string>(choice.UserContext ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ArnContextKey] = choice.BucketKeyEnabled ? $"arn:aws:s3:::{bucket}" : $"arn:aws:s3:::{bucket}/{key}",
        };
        var keyId = choice.KmsKeyId ?? kms.AwsManagedKey(region, "s3");
        try
        {
            var generated = kms.GenerateDataKey(region, keyId, context, accessKeyId);
            return (new ObjectEncryption(BucketEncryption.Kms, generated.KeyArn, choice.BucketKeyEnabled, context, generated.Ciphertext), generated.Plaintext);
        }
        catch (KmsException ex)
        {
            throw S3Errors.FromKms(ex);
        }
    }

    /// <summary>The plaintext data key of a stored object (KMS Decrypt in the bucket's Region for SSE-KMS).</summary>
    public byte[] DataKey(string region, ObjectEncryption encryption, string accessKeyId)
    {
        if (!encryption.IsKms)
        {
            var wrapped = encryption.WrappedDataKey;
            var plaintext = new byte[wrapped.Length - 28];
            using var aes = new AesGcm(_s3Key, 16);
            aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), plaintext);
            return plaintext;
        }
        try
        {
            return kms.Decrypt(region, encryption.WrappedDataKey, encryption.Context, accessKeyId).Plaintext;
        }
        catch (KmsException ex)
        {
            throw S3Errors.FromKms(ex);
        }
    }
}
