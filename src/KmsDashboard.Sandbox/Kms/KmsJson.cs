using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>The KMS response shapes: KeyMetadata, tag lists, epoch-second timestamps.</summary>
internal static class KmsJson
{
    public static JsonNode Epoch(DateTimeOffset time) => JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000.0);

    public static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);

    public static JsonArray TagList(IEnumerable<KeyValuePair<string, string>> tags) =>
        new([.. tags.Select(t => (JsonNode?)new JsonObject { ["TagKey"] = t.Key, ["TagValue"] = t.Value })]);

    public static JsonObject Metadata(KmsKey key)
    {
        var family = key.Family;
        var meta = new JsonObject
        {
            ["AWSAccountId"] = key.Arn.Split(':')[4],
            ["KeyId"] = key.KeyId,
            ["Arn"] = key.Arn,
            ["CreationDate"] = Epoch(key.CreationDate),
            ["Enabled"] = key.Enabled,
            ["Description"] = key.Description,
            ["KeyUsage"] = family.KeyUsage,
            ["KeyState"] = key.State,
        };
        if (key.DeletionDate is { } deletion) meta["DeletionDate"] = Epoch(deletion);
        meta["Origin"] = family.Origin;
        meta["KeyManager"] = key.KeyManager;
        meta["CustomerMasterKeySpec"] = family.KeySpec;
        meta["KeySpec"] = family.KeySpec;
        if (family.Origin == "EXTERNAL") meta["ExpirationModel"] = "KEY_MATERIAL_DOES_NOT_EXPIRE";
        var encryption = KeySpecs.EncryptionAlgorithms(family.KeySpec, family.KeyUsage);
        if (encryption.Length > 0) meta["EncryptionAlgorithms"] = Array(encryption);
        var signing = KeySpecs.SigningAlgorithms(family.KeySpec, family.KeyUsage);
        if (signing.Length > 0) meta["SigningAlgorithms"] = Array(signing);
        var mac = KeySpecs.MacAlgorithms(family.KeySpec);
        if (mac.Length > 0) meta["MacAlgorithms"] = Array(mac);
        if (family.KeyUsage == "KEY_AGREEMENT") meta["KeyAgreementAlgorithms"] = Array(["ECDH"]);
        meta["MultiRegion"] = family.MultiRegion;
        if (family.MultiRegion) meta["MultiRegionConfiguration"] = MultiRegionConfiguration(key);
        if (key.IsPendingDeletion && key.PendingWindowInDays is { } window) meta["PendingDeletionWindowInDays"] = window;
        if (family.IsSymmetricEncryption && family.CurrentMaterial is { } material) meta["CurrentKeyMaterialId"] = material.Id;
        return meta;
    }

    private static JsonObject MultiRegionConfiguration(KmsKey key)
    {
        var family = key.Family;
        var primary = family.Primary;
        var config = new JsonObject { ["MultiRegionKeyType"] = key.MultiRegionKeyType };
        if (primary is not null) config["PrimaryKey"] = new JsonObject { ["Arn"] = primary.Arn, ["Region"] = primary.Region };
        config["ReplicaKeys"] = new JsonArray([.. family.Replicas.Select(r => (JsonNode?)new JsonObject { ["Arn"] = r.Arn, ["Region"] = r.Region })]);
        return config;
    }
}
