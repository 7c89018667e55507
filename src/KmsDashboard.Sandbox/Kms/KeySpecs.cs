namespace KmsDashboard.Sandbox.Kms;

/// <summary>Key specs, the key usages each allows, and the algorithms DescribeKey lists for them.</summary>
internal static class KeySpecs
{
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";

    private static readonly Dictionary<string, string[]> Usages = new(StringComparer.Ordinal)
    {
        [SymmetricDefault] = ["ENCRYPT_DECRYPT"],
        ["RSA_2048"] = ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
        ["RSA_3072"] = ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
        ["RSA_4096"] = ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
        ["ECC_NIST_P256"] = ["SIGN_VERIFY", "KEY_AGREEMENT"],
        ["ECC_NIST_P384"] = ["SIGN_VERIFY", "KEY_AGREEMENT"],
        ["ECC_NIST_P521"] = ["SIGN_VERIFY", "KEY_AGREEMENT"],
        ["ECC_SECG_P256K1"] = ["SIGN_VERIFY"],
        ["ECC_NIST_EDWARDS25519"] = ["SIGN_VERIFY"],
        ["ML_DSA_44"] = ["SIGN_VERIFY"],
        ["ML_DSA_65"] = ["SIGN_VERIFY"],
        ["ML_DSA_87"] = ["SIGN_VERIFY"],
        ["HMAC_224"] = ["GENERATE_VERIFY_MAC"],
        ["HMAC_256"] = ["GENERATE_VERIFY_MAC"],
        ["HMAC_384"] = ["GENERATE_VERIFY_MAC"],
        ["HMAC_512"] = ["GENERATE_VERIFY_MAC"],
    };

    public static bool IsKnown(string spec) => Usages.ContainsKey(spec) || spec == "SM2";
    public static bool IsHmac(string spec) => spec.StartsWith("HMAC_", StringComparison.Ordinal);

    /// <summary>The usage a spec gets when CreateKey names none (KMS defaults to ENCRYPT_DECRYPT).</summary>
    public static void CheckUsage(string spec, string usage)
    {
        if (spec == "SM2") throw KmsErrors.Unsupported("SM2 key specs are only available in the China Regions.");
        if (!Usages[spec].Contains(usage))
            throw KmsErrors.Validation($"KeyUsage {usage} is not compatible with KeySpec {spec}.");
    }

    /// <summary>Bytes of secret material kept for specs the sandbox does cryptography with (0 = none kept).</summary>
    public static int MaterialLength(string spec) => spec switch
    {
        SymmetricDefault => 32,
        "HMAC_224" => 28,
        "HMAC_256" => 32,
        "HMAC_384" => 48,
        "HMAC_512" => 64,
        _ => 0,
    };

    public static string[] EncryptionAlgorithms(string spec, string usage) => usage != "ENCRYPT_DECRYPT" ? []
        : spec == SymmetricDefault ? [SymmetricDefault] : ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"];

    public static string[] SigningAlgorithms(string spec, string usage) => usage != "SIGN_VERIFY" ? [] : spec switch
    {
        _ when spec.StartsWith("RSA_", StringComparison.Ordinal) =>
            ["RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512", "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"],
        "ECC_NIST_P256" or "ECC_SECG_P256K1" => ["ECDSA_SHA_256"],
        "ECC_NIST_P384" => ["ECDSA_SHA_384"],
        "ECC_NIST_P521" => ["ECDSA_SHA_512"],
        "ECC_NIST_EDWARDS25519" => ["ED25519_SHA_512", "ED25519_PH_SHA_512"],
        _ => ["ML_DSA_SHAKE_256"],
    };

    public static string[] MacAlgorithms(string spec) => spec switch
    {
        "HMAC_224" => ["HMAC_SHA_224"],
        "HMAC_256" => ["HMAC_SHA_256"],
        "HMAC_384" => ["HMAC_SHA_384"],
        "HMAC_512" => ["HMAC_SHA_512"],
        _ => [],
    };
}
