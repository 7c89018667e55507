using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>
/// Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateRandom: real AES-256-GCM under the key's
/// current material, encryption context bound as associated data (see <see cref="CiphertextBlob"/>).
/// </summary>
internal static class CryptoOperations
{
    private const string Symmetric = KeySpecs.SymmetricDefault;

    public static IEnumerable<KmsOperation> All =>
    [
        new("Encrypt", true, Encrypt) { Cryptographic = true },
        new("Decrypt", true, Decrypt) { Cryptographic = true },
        new("ReEncrypt", true, ReEncrypt) { Cryptographic = true },
        new("GenerateDataKey", true, GenerateDataKey) { Cryptographic = true },
        new("GenerateDataKeyWithoutPlaintext", true, GenerateDataKeyWithoutPlaintext) { Cryptographic = true },
        new("GenerateRandom", true, GenerateRandom) { Cryptographic = true },
    ];

    private static JsonObject Encrypt(KmsCallContext ctx)
    {
        var key = ctx.Key(allowAlias: true);
        var plaintext = ctx.Bytes("Plaintext", 1, 4096) ?? throw KmsErrors.Required("Plaintext");
        var context = ctx.Map("EncryptionContext");
        CheckAlgorithm(ctx, "EncryptionAlgorithm");
        var (blob, _) = Seal(ctx, key, "Encrypt", plaintext, context);
        return new JsonObject { ["CiphertextBlob"] = Convert.ToBase64String(blob), ["KeyId"] = key.Arn, ["EncryptionAlgorithm"] = Symmetric };
    }

    private static JsonObject Decrypt(KmsCallContext ctx)
    {
        var blob = ctx.Bytes("CiphertextBlob", 1, 6144) ?? throw KmsErrors.Required("CiphertextBlob");
        CheckAlgorithm(ctx, "EncryptionAlgorithm");
        var (key, plaintext, materialId) = Open(ctx, blob, "KeyId", ctx.Map("EncryptionContext"), "Decrypt");
        DryRun(ctx);
        Used(ctx, key, "Decrypt");
        return new JsonObject
        {
            ["KeyId"] = key.Arn,
            ["Plaintext"] = Convert.ToBase64String(plaintext),
            ["EncryptionAlgorithm"] = Symmetric,
            ["KeyMaterialId"] = materialId,
        };
    }

    private static JsonObject ReEncrypt(KmsCallContext ctx)
    {
        var blob = ctx.Bytes("CiphertextBlob", 1, 6144) ?? throw KmsErrors.Required("CiphertextBlob");
        CheckAlgorithm(ctx, "SourceEncryptionAlgorithm");
        CheckAlgorithm(ctx, "DestinationEncryptionAlgorithm");
        var (source, plaintext, sourceMaterial) = Open(ctx, blob, "SourceKeyId", ctx.Map("SourceEncryptionContext"), "ReEncrypt");
        var destination = ctx.Key("DestinationKeyId", allowAlias: true);
        var (sealedBlob, destinationMaterial) = Seal(ctx, destination, "ReEncrypt", plaintext, ctx.Map("DestinationEncryptionContext"));
        Used(ctx, source, "ReEncrypt");
        return new JsonObject
        {
            ["CiphertextBlob"] = Convert.ToBase64String(sealedBlob),
            ["SourceKeyId"] = source.Arn,
            ["KeyId"] = destination.Arn,
            ["SourceEncryptionAlgorithm"] = Symmetric,
            ["DestinationEncryptionAlgorithm"] = Symmetric,
            ["SourceKeyMaterialId"] = sourceMaterial,
            ["DestinationKeyMaterialId"] = destinationMaterial,
        };
    }

    private static JsonObject GenerateDataKey(KmsCallContext ctx) => DataKey(ctx, "GenerateDataKey", withPlaintext: true);

    private static JsonObject GenerateDataKeyWithoutPlaintext(KmsCallContext ctx) => DataKey(ctx, "GenerateDataKeyWithoutPlaintext", withPlaintext: false);

    private static JsonObject DataKey(KmsCallContext ctx, string operation, bool withPlaintext)
    {
        var key = ctx.Key(allowAlias: true);
        var spec = ctx.String("KeySpec");
        var bytes = ctx.Int("NumberOfBytes", 1, 1024);
        if ((spec is null) == (bytes is null))
            throw KmsErrors.Validation("Please specify either number of bytes or key spec.");
        var length = spec switch
        {
            null => bytes!.Value,
            "AES_256" => 32,
            "AES_128" => 16,
            _ => throw KmsErrors.Validation("KeySpec", spec, "Member must satisfy enum value set: [AES_256, AES_128]"),
        };
        var dataKey = RandomNumberGenerator.GetBytes(length);
        var (blob, materialId) = Seal(ctx, key, operation, dataKey, ctx.Map("EncryptionContext"));
        var result = new JsonObject { ["CiphertextBlob"] = Convert.ToBase64String(blob) };
        if (withPlaintext) result["Plaintext"] = Convert.ToBase64String(dataKey);
        result["KeyId"] = key.Arn;
        result["KeyMaterialId"] = materialId;
        return result;
    }

    private static JsonObject GenerateRandom(KmsCallContext ctx)
    {
        var length = ctx.Int("NumberOfBytes", 1, 1024) ?? throw KmsErrors.Required("NumberOfBytes");
        if (ctx.String("CustomKeyStoreId") is not null) throw KmsErrors.Unsupported("The sandbox has no custom key stores.");
        return new JsonObject { ["Plaintext"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)) };
    }

    private static (byte[] Blob, string MaterialId) Seal(KmsCallContext ctx, KmsKey key, string operation, byte[] plaintext, Dictionary<string, string>? context)
    {
        KeyGuards.Usable(key);
        KeyGuards.SymmetricEncryption(key, operation);
        var material = key.Family.CurrentMaterial ?? throw KmsErrors.InvalidState(key);
        DryRun(ctx);
        Used(ctx, key, operation);
        return (CiphertextBlob.Encrypt(key.KeyId, material, plaintext, context), material.Id);
    }

    /// <summary>Finds the key from the blob itself (a KeyId, when given, must name the same key) and decrypts.</summary>
    private static (KmsKey Key, byte[] Plaintext, string MaterialId) Open(KmsCallContext ctx, byte[] blob, string keyMember, Dictionary<string, string>? context, string operation)
    {
        var parsed = CiphertextBlob.Parse(blob);
        KmsKey key;
        if (ctx.String(keyMember, 1, 2048) is not null)
        {
            key = ctx.Key(keyMember, allowAlias: true);
            if (key.KeyId != parsed.KeyId)
                throw KmsErrors.IncorrectKey("The key ID in the request does not identify a KMS key that can perform this operation.");
        }
        else
        {
            key = ctx.Store.Find(ctx.Region, parsed.KeyId) ?? throw KmsErrors.InvalidCiphertext();
            ctx.Touch(key);
        }
        KeyGuards.Usable(key);
        KeyGuards.SymmetricEncryption(key, operation);
        var material = key.Family.FindMaterial(parsed.KeyMaterialId) ?? throw KmsErrors.InvalidCiphertext();
        return (key, parsed.Decrypt(material, context), material.Id);
    }

    private static void CheckAlgorithm(KmsCallContext ctx, string member)
    {
        var algorithm = ctx.String(member);
        if (algorithm is not null && algorithm != Symmetric)
            throw KmsErrors.InvalidKeyUsage($"The sandbox's symmetric keys support only the {Symmetric} encryption algorithm, not {algorithm}.");
    }

    private static void DryRun(KmsCallContext ctx)
    {
        if (ctx.Bool("DryRun") == true)
            throw new KmsException("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
    }

    private static void Used(KmsCallContext ctx, KmsKey key, string operation) =>
        key.LastUsage = new KeyLastUsage(operation, ctx.Now, ctx.EventId, ctx.RequestId);
}
