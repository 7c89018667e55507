using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>
/// GetPublicKey, Sign and Verify with real RSA and ECDSA keys (RSA_2048/3072/4096, ECC_NIST_P256/P384/P521,
/// ECC_SECG_P256K1), and GenerateMac and VerifyMac with HMAC keys. The private key is made on first use and shared
/// by related multi-Region keys, as KMS shares their key material. Signatures are as KMS gives them: PKCS #1 v1.5 or
/// PSS (salt the length of the hash) for RSA, DER-encoded for ECDSA; public keys are DER SubjectPublicKeyInfo.
/// Ed25519 and ML-DSA keys, and HMAC_224 keys, are described but cannot be used here (.NET has neither those
/// signatures nor SHA-224): the call says so with UnsupportedOperationException.
/// </summary>
internal static class SigningOperations
{
    private static readonly ConditionalWeakTable<KeyFamily, byte[]> PrivateKeys = new();

    public static IEnumerable<KmsOperation> All =>
    [
        new("GetPublicKey", true, GetPublicKey),
        new("Sign", true, Sign) { Cryptographic = true },
        new("Verify", true, Verify) { Cryptographic = true },
        new("GenerateMac", true, GenerateMac) { Cryptographic = true },
        new("VerifyMac", true, VerifyMac) { Cryptographic = true },
    ];

    private static JsonObject GetPublicKey(KmsCallContext ctx)
    {
        var key = ctx.Key(allowAlias: true);
        KeyGuards.Usable(key);
        var family = key.Family;
        if (family.IsSymmetricEncryption || family.KeySpec.StartsWith("HMAC_", StringComparison.Ordinal))
            throw KmsErrors.Unsupported($"{key.Arn} is a {family.KeySpec} key: only asymmetric keys have a public key.");
        using var algorithm = Load(family);
        var result = new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["PublicKey"] = Convert.ToBase64String(algorithm.ExportSubjectPublicKeyInfo()),
            ["CustomerMasterKeySpec"] = family.KeySpec,
            ["KeySpec"] = family.KeySpec,
            ["KeyUsage"] = family.KeyUsage,
        };
        if (KeySpecs.SigningAlgorithms(family.KeySpec, family.KeyUsage) is { Length: > 0 } signing) result["SigningAlgorithms"] = Array(signing);
        if (KeySpecs.EncryptionAlgorithms(family.KeySpec, family.KeyUsage) is { Length: > 0 } encryption) result["EncryptionAlgorithms"] = Array(encryption);
        return result;
    }

    private static JsonObject Sign(KmsCallContext ctx)
    {
        var (key, message, digest, algorithm) = SigningRequest(ctx, "Sign");
        using var signer = Load(key.Family);
        var hash = HashOf(algorithm);
        var signature = signer switch
        {
            RSA rsa => digest ? rsa.SignHash(message, hash, Padding(algorithm)) : rsa.SignData(message, hash, Padding(algorithm)),
            ECDsa ecdsa => digest ? ecdsa.SignHash(message, DSASignatureFormat.Rfc3279DerSequence)
                : ecdsa.SignData(message, hash, DSASignatureFormat.Rfc3279DerSequence),
            _ => throw new InvalidOperationException(),
        };
        Used(ctx, key, "Sign");
        return new JsonObject { ["KeyId"] = key.Arn, ["Signature"] = Convert.ToBase64String(signature), ["SigningAlgorithm"] = algorithm };
    }

    private static JsonObject Verify(KmsCallContext ctx)
    {
        var (key, message, digest, algorithm) = SigningRequest(ctx, "Verify");
        var signature = ctx.Bytes("Signature", 1, 6144) ?? throw KmsErrors.Required("Signature");
        using var verifier = Load(key.Family);
        var hash = HashOf(algorithm);
        var valid = verifier switch
        {
            RSA rsa => digest ? rsa.VerifyHash(message, signature, hash, Padding(algorithm)) : rsa.VerifyData(message, signature, hash, Padding(algorithm)),
            ECDsa ecdsa => digest ? ecdsa.VerifyHash(message, signature, DSASignatureFormat.Rfc3279DerSequence)
                : ecdsa.VerifyData(message, signature, hash, DSASignatureFormat.Rfc3279DerSequence),
            _ => false,
        };
        Used(ctx, key, "Verify");
        if (!valid) throw new KmsException("KMSInvalidSignatureException", "");
        return new JsonObject { ["KeyId"] = key.Arn, ["SignatureValid"] = true, ["SigningAlgorithm"] = algorithm };
    }

    private static JsonObject GenerateMac(KmsCallContext ctx)
    {
        var (key, message, algorithm, material) = MacRequest(ctx, "GenerateMac");
        var mac = Hmac(algorithm, material, message);
        Used(ctx, key, "GenerateMac");
        return new JsonObject { ["Mac"] = Convert.ToBase64String(mac), ["MacAlgorithm"] = algorithm, ["KeyId"] = key.Arn };
    }

    private static JsonObject VerifyMac(KmsCallContext ctx)
    {
        var (key, message, algorithm, material) = MacRequest(ctx, "VerifyMac");
        var mac = ctx.Bytes("Mac", 1, 6144) ?? throw KmsErrors.Required("Mac");
        Used(ctx, key, "VerifyMac");
        if (!CryptographicOperations.FixedTimeEquals(Hmac(algorithm, material, message), mac))
            throw new KmsException("KMSInvalidMacException", "");
        return new JsonObject { ["KeyId"] = key.Arn, ["MacValid"] = true, ["MacAlgorithm"] = algorithm };
    }

    /// <summary>The checks Sign and Verify share, in the order KMS makes them.</summary>
    private static (KmsKey Key, byte[] Message, bool Digest, string Algorithm) SigningRequest(KmsCallContext ctx, string operation)
    {
        var key = ctx.Key(allowAlias: true);
        var message = ctx.Bytes("Message", 1, 4096) ?? throw KmsErrors.Required("Message");
        var algorithm = ctx.RequiredString("SigningAlgorithm");
        var type = ctx.String("MessageType") ?? "RAW";
        if (type is not ("RAW" or "DIGEST" or "EXTERNAL_MU"))
            throw KmsErrors.Validation("MessageType", type, "Member must satisfy enum value set: [RAW, DIGEST, EXTERNAL_MU]");
        KeyGuards.Usable(key);
        var family = key.Family;
        if (family.KeyUsage != "SIGN_VERIFY")
            throw KmsErrors.InvalidKeyUsage($"{key.Arn} key usage is {family.KeyUsage} which is not valid for {operation}.");
        if (!KeySpecs.SigningAlgorithms(family.KeySpec, family.KeyUsage).Contains(algorithm))
            throw KmsErrors.InvalidKeyUsage($"Algorithm {algorithm} is incompatible with key spec {family.KeySpec}.");
        if (type == "EXTERNAL_MU") throw KmsErrors.Unsupported("EXTERNAL_MU applies to ML-DSA keys, which the sandbox cannot sign with.");
        if (type == "DIGEST" && message.Length != HashOf(algorithm).Length())
            throw KmsErrors.Validation($"Digest is invalid length for algorithm {algorithm}.");
        return (key, message, type == "DIGEST", algorithm);
    }

    private static (KmsKey Key, byte[] Message, string Algorithm, byte[] Material) MacRequest(KmsCallContext ctx, string operation)
    {
        var key = ctx.Key(allowAlias: true);
        var message = ctx.Bytes("Message", 1, 4096) ?? throw KmsErrors.Required("Message");
        var algorithm = ctx.RequiredString("MacAlgorithm");
        KeyGuards.Usable(key);
        var family = key.Family;
        if (family.KeyUsage != "GENERATE_VERIFY_MAC")
            throw KmsErrors.InvalidKeyUsage($"{key.Arn} key usage is {family.KeyUsage} which is not valid for {operation}.");
        if (!KeySpecs.MacAlgorithms(family.KeySpec).Contains(algorithm))
            throw KmsErrors.InvalidKeyUsage($"Algorithm {algorithm} is incompatible with key spec {family.KeySpec}.");
        var material = family.CurrentMaterial ?? throw KmsErrors.InvalidState(key);
        return (key, message, algorithm, material.Bytes);
    }

    /// <summary>The family's key pair, made on first use (under the store's lock, like every operation).</summary>
    private static AsymmetricAlgorithm Load(KeyFamily family)
    {
        var pkcs8 = PrivateKeys.GetValue(family, f =>
        {
            using var created = Create(f.KeySpec);
            return created.ExportPkcs8PrivateKey();
        });
        AsymmetricAlgorithm algorithm = family.KeySpec.StartsWith("RSA_", StringComparison.Ordinal) ? RSA.Create() : ECDsa.Create();
        algorithm.ImportPkcs8PrivateKey(pkcs8, out _);
        return algorithm;
    }

    private static AsymmetricAlgorithm Create(string spec) => spec switch
    {
        "RSA_2048" => RSA.Create(2048),
        "RSA_3072" => RSA.Create(3072),
        "RSA_4096" => RSA.Create(4096),
        "ECC_NIST_P256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "ECC_NIST_P384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        "ECC_NIST_P521" => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        "ECC_SECG_P256K1" => ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1")),
        _ => throw KmsErrors.Unsupported($"The sandbox cannot make {spec} key pairs (.NET has no {spec} signatures)."),
    };

    private static HashAlgorithmName HashOf(string algorithm) =>
        algorithm.EndsWith("_SHA_256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256
        : algorithm.EndsWith("_SHA_384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384
        : algorithm.EndsWith("_SHA_512", StringComparison.Ordinal) && !algorithm.StartsWith("ED25519", StringComparison.Ordinal) ? HashAlgorithmName.SHA512
        : throw KmsErrors.Unsupported($"The sandbox cannot sign with {algorithm}.");

    private static int Length(this HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;

    private static RSASignaturePadding Padding(string algorithm) =>
        algorithm.StartsWith("RSASSA_PSS_", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

    private static byte[] Hmac(string algorithm, byte[] key, byte[] message) => algorithm switch
    {
        "HMAC_SHA_224" => throw KmsErrors.Unsupported("The sandbox cannot compute HMAC_SHA_224 (.NET has no SHA-224)."),
        "HMAC_SHA_256" => HMACSHA256.HashData(key, message),
        "HMAC_SHA_384" => HMACSHA384.HashData(key, message),
        _ => HMACSHA512.HashData(key, message),
    };

    private static JsonArray Array(string[] values) => [.. values.Select(v => (JsonNode)JsonValue.Create(v))];

    private static void Used(KmsCallContext ctx, KmsKey key, string operation) =>
        key.LastUsage = new KeyLastUsage(operation, ctx.Now, ctx.EventId, ctx.RequestId);
}
