namespace KmsDashboard.Sandbox.Kms;

/// <summary>A data key as KMS hands it to a service: the key's ARN, the plaintext key and the ciphertext blob that wraps it.</summary>
internal sealed record KmsDataKey(string KeyArn, byte[] Plaintext, byte[] Ciphertext);
