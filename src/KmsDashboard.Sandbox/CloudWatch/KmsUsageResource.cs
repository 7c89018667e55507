namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>The <c>Resource</c> dimension of <c>AWS/Usage CallCount</c> for a KMS operation: its quota bucket, or its own name.</summary>
internal static class KmsUsageResource
{
    private static readonly HashSet<string> Symmetric = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateRandom", "GenerateMac", "VerifyMac",
    };

    private static readonly HashSet<string> Cryptographic = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateMac", "VerifyMac", "Sign", "Verify", "DeriveSharedSecret",
    };

    /// <summary>The operations KMS reports per key as <c>AWS/KMS SuccessfulRequest</c>.</summary>
    public static bool IsCryptographic(string operation) => Cryptographic.Contains(operation);

    public static string For(string operation, string? signingAlgorithm = null) => operation switch
    {
        _ when Symmetric.Contains(operation) => "CryptographicOperationsSymmetric",
        "Sign" or "Verify" when signingAlgorithm?.StartsWith("ECDSA", StringComparison.Ordinal) == true => "CryptographicOperationsEcc",
        "Sign" or "Verify" => "CryptographicOperationsRsa",
        _ => operation,
    };

    public static KeyValuePair<string, string>[] Dimensions(string resource) =>
        [new("Class", "None"), new("Resource", resource), new("Service", "KMS"), new("Type", "API")];
}
