namespace KmsDashboard.Core.Rotation;

/// <summary>Why KMS cannot rotate a key's material automatically or on demand, from its key spec and origin.</summary>
public static class RotationAvailability
{
    /// <summary>Null when the key can rotate (a symmetric encryption key whose material KMS made), else why not.</summary>
    public static string? WhyNot(string keySpec, string origin)
    {
        if (keySpec.StartsWith("HMAC_", StringComparison.Ordinal))
            return $"HMAC key ({keySpec}): KMS rotates only symmetric encryption keys; make a new HMAC key and move the alias instead.";
        if (keySpec != "SYMMETRIC_DEFAULT")
            return keySpec.Length == 0
                ? "Key spec unknown: the key could not be read."
                : $"Asymmetric key ({keySpec}): KMS cannot rotate asymmetric keys; make a new key pair and move the alias instead.";
        return origin switch
        {
            "AWS_KMS" => null,
            "EXTERNAL" => "Imported key material (Origin EXTERNAL): KMS cannot make new material for it; import new material or make a new key.",
            "AWS_CLOUDHSM" => "Custom key store key (Origin AWS_CLOUDHSM): automatic rotation is not available for keys in a CloudHSM key store.",
            "EXTERNAL_KEY_STORE" => "Custom key store key (Origin EXTERNAL_KEY_STORE): key material in an external key store is rotated outside KMS.",
            _ => $"Origin {origin}: only keys whose material KMS made (AWS_KMS) rotate.",
        };
    }
}
