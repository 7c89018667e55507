namespace KmsDashboard.Sandbox.Kms;

/// <summary>The key-state and key-type preconditions the operations share, with KMS's error codes.</summary>
internal static class KeyGuards
{
    /// <summary>AWS managed keys are AWS's to change; their key policy allows the account no writes.</summary>
    public static void CustomerManaged(KmsKey key, string action, string account)
    {
        if (key.AwsManaged)
            throw KmsErrors.AccessDenied($"User: arn:aws:iam::{account}:root is not authorized to perform: kms:{action} on resource: {key.Arn} because no resource-based policy allows the kms:{action} action");
    }

    /// <summary>For changes to configuration: Enabled or Disabled (and other settled states when allowed).</summary>
    public static void Settled(KmsKey key, bool allowPendingDeletion = false)
    {
        if (key.State is KeyStates.Enabled or KeyStates.Disabled or KeyStates.PendingImport) return;
        if (allowPendingDeletion && key.IsPendingDeletion) return;
        throw KmsErrors.InvalidState(key);
    }

    /// <summary>For cryptographic operations: Enabled, or Updating (crypto works while the primary Region moves).</summary>
    public static void Usable(KmsKey key)
    {
        if (key.State == KeyStates.Disabled || (key.State == KeyStates.Updating && !key.Enabled)) throw KmsErrors.Disabled(key);
        if (key.State is not (KeyStates.Enabled or KeyStates.Updating)) throw KmsErrors.InvalidState(key);
    }

    /// <summary>Encrypt/Decrypt/GenerateDataKey need a symmetric ENCRYPT_DECRYPT key here.</summary>
    public static void SymmetricEncryption(KmsKey key, string operation)
    {
        if (key.Family.KeyUsage != "ENCRYPT_DECRYPT")
            throw KmsErrors.InvalidKeyUsage($"{key.Arn} key usage is {key.Family.KeyUsage} which is not valid for {operation}.");
        if (!key.Family.IsSymmetricEncryption)
            throw KmsErrors.Unsupported($"The sandbox performs {operation} only with symmetric encryption keys; {key.Arn} is {key.Family.KeySpec}.");
    }

    /// <summary>Rotation exists for symmetric encryption keys with AWS_KMS key material.</summary>
    public static void Rotatable(KmsKey key)
    {
        if (!key.Family.IsSymmetricEncryption || key.Family.Origin != "AWS_KMS")
            throw KmsErrors.Unsupported($"{key.Arn} origin is {key.Family.Origin} and key spec is {key.Family.KeySpec}; rotation is supported only for symmetric encryption keys with AWS_KMS origin.");
    }

    public static void Primary(KmsKey key)
    {
        if (key.IsReplica)
            throw KmsErrors.Unsupported($"{key.Arn} is a multi-Region replica key. This operation is allowed only on the primary key {key.Family.Primary?.Arn}.");
    }
}
