using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// Request and response bodies as CloudTrail records them: member names in camelCase (keyId, encryptionContext,
/// keyMetadata.aWSAccountId), user-defined maps kept verbatim, secrets and ciphertext never recorded.
/// </summary>
internal static class TrailParameters
{
    private static readonly HashSet<string> Secret = new(StringComparer.OrdinalIgnoreCase)
        { "Plaintext", "CiphertextBlob", "SourceCiphertextBlob", "CiphertextForRecipient", "PublicKey", "Recipient" };

    private static readonly HashSet<string> Verbatim = new(StringComparer.OrdinalIgnoreCase)
        { "EncryptionContext", "SourceEncryptionContext", "DestinationEncryptionContext" };

    private static readonly HashSet<string> CryptographicOperations = new(StringComparer.Ordinal)
    {
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "GenerateRandom", "Sign", "Verify", "GenerateMac", "VerifyMac",
    };

    public static JsonObject? Request(JsonObject? body) => body is null ? null : (JsonObject)Camel(body)!;

    /// <summary>CloudTrail records no response for cryptographic operations.</summary>
    public static JsonObject? Response(string operation, JsonObject? body) =>
        body is null || CryptographicOperations.Contains(operation) ? null : (JsonObject)Camel(body)!;

    private static JsonNode? Camel(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    if (Secret.Contains(name)) continue;
                    copy[LowerFirst(name)] = Verbatim.Contains(name) ? value?.DeepClone() : Camel(value);
                }
                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(Camel)]);
            default:
                return node?.DeepClone();
        }
    }

    private static string LowerFirst(string name) =>
        name.Length > 0 && char.IsUpper(name[0]) ? char.ToLowerInvariant(name[0]) + name[1..] : name;
}
