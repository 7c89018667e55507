using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>Key lifecycle: CreateKey, DescribeKey, ListKeys, Enable/DisableKey, Schedule/CancelKeyDeletion, UpdateKeyDescription.</summary>
internal static class KeyOperations
{
    private static readonly string[] KeyUsages = ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"];
    private static readonly string[] Origins = ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

    public static IEnumerable<KmsOperation> All =>
    [
        new("CreateKey", false, CreateKey),
        new("DescribeKey", true, DescribeKey),
        new("ListKeys", true, ListKeys),
        new("EnableKey", false, EnableKey),
        new("DisableKey", false, DisableKey),
        new("ScheduleKeyDeletion", false, ScheduleKeyDeletion),
        new("CancelKeyDeletion", false, CancelKeyDeletion),
        new("UpdateKeyDescription", false, UpdateKeyDescription),
    ];

    private static JsonObject CreateKey(KmsCallContext ctx)
    {
        var policy = ctx.String("Policy", 1, 131072);
        if (policy is not null) { PolicyRules.Check(policy); ctx.CheckLockout(policy); }
        var description = ctx.String("Description", 0, 8192) ?? "";
        var keySpec = ctx.String("KeySpec");
        var masterKeySpec = ctx.String("CustomerMasterKeySpec");
        if (keySpec is not null && masterKeySpec is not null)
            throw KmsErrors.Validation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.");
        var spec = keySpec ?? masterKeySpec ?? KeySpecs.SymmetricDefault;
        if (!KeySpecs.IsKnown(spec)) throw KmsErrors.Validation("KeySpec", spec, "Member must satisfy enum value set");
        var usage = ctx.String("KeyUsage") ?? "ENCRYPT_DECRYPT";
        if (!KeyUsages.Contains(usage)) throw KmsErrors.Validation("KeyUsage", usage, $"Member must satisfy enum value set: [{string.Join(", ", KeyUsages)}]");
        KeySpecs.CheckUsage(spec, usage);
        var origin = ctx.String("Origin") ?? "AWS_KMS";
        if (!Origins.Contains(origin)) throw KmsErrors.Validation("Origin", origin, $"Member must satisfy enum value set: [{string.Join(", ", Origins)}]");
        if (origin is "AWS_CLOUDHSM" or "EXTERNAL_KEY_STORE" || ctx.String("CustomKeyStoreId") is not null)
            throw KmsErrors.Unsupported("The sandbox has no custom key stores; use Origin AWS_KMS or EXTERNAL.");
        var multiRegion = ctx.Bool("MultiRegion") ?? false;
        var tags = ctx.Tags() ?? [];

        var family = new KeyFamily(KmsStore.NewKeyId(multiRegion), multiRegion, spec, usage, origin, ctx.Region);
        var length = KeySpecs.MaterialLength(spec);
        if (origin == "AWS_KMS" && length > 0) family.Materials.Add(KeyMaterial.Generate(length, ctx.Now));
        var key = ctx.Store.AddKey(family, ctx.Region, ctx.Now);
        key.Description = description;
        if (policy is not null) key.Policy = policy;
        key.State = origin == "EXTERNAL" ? KeyStates.PendingImport : KeyStates.Enabled;
        TagRules.Apply(key, tags);
        ctx.Touch(key);
        return new JsonObject { ["KeyMetadata"] = KmsJson.Metadata(key) };
    }

    private static JsonObject DescribeKey(KmsCallContext ctx) =>
        new() { ["KeyMetadata"] = KmsJson.Metadata(ctx.Key(allowAlias: true)) };

    private static JsonObject ListKeys(KmsCallContext ctx)
    {
        var page = Paging.Take(ctx.Store.Keys(ctx.Region), k => k.Sequence.ToString("D19"), ctx.Int("Limit", 1, 1000), 1000, 100, ctx.String("Marker", 1, 1024));
        var result = new JsonObject
        {
            ["Keys"] = new JsonArray([.. page.Items.Select(k => (JsonNode?)new JsonObject { ["KeyId"] = k.KeyId, ["KeyArn"] = k.Arn })]),
            ["Truncated"] = page.Truncated,
        };
        if (page.NextMarker is not null) result["NextMarker"] = page.NextMarker;
        return result;
    }

    private static JsonObject? EnableKey(KmsCallContext ctx)
    {
        var key = ctx.Key();
        KeyGuards.CustomerManaged(key, "EnableKey", ctx.AccountId);
        if (key.State is not (KeyStates.Enabled or KeyStates.Disabled)) throw KmsErrors.InvalidState(key);
        key.State = KeyStates.Enabled;
        return null;
    }

    private static JsonObject? DisableKey(KmsCallContext ctx)
    {
        var key = ctx.Key();
        KeyGuards.CustomerManaged(key, "DisableKey", ctx.AccountId);
        if (key.State is not (KeyStates.Enabled or KeyStates.Disabled)) throw KmsErrors.InvalidState(key);
        key.State = KeyStates.Disabled;
        return null;
    }

    private static JsonObject ScheduleKeyDeletion(KmsCallContext ctx)
    {
        var key = ctx.Key();
        var window = ctx.Int("PendingWindowInDays", 1, 365) ?? 30;
        if (window is < 7 or > 30)
            throw KmsErrors.Validation("PendingWindowInDays", window, "Member must have value between 7 and 30 (inclusive)");
        KeyGuards.CustomerManaged(key, "ScheduleKeyDeletion", ctx.AccountId);
        KeyGuards.Settled(key);
        key.PendingWindowInDays = window;
        if (key.IsPrimary && key.Family.Replicas.Any())
        {
            // Its window starts only when the last replica is gone (KmsTimeline).
            key.State = KeyStates.PendingReplicaDeletion;
            key.DeletionDate = null;
        }
        else
        {
            key.State = KeyStates.PendingDeletion;
            key.DeletionDate = ctx.Now.AddDays(window);
        }
        var result = new JsonObject { ["KeyId"] = key.Arn };
        if (key.DeletionDate is { } date) result["DeletionDate"] = KmsJson.Epoch(date);
        result["KeyState"] = key.State;
        result["PendingWindowInDays"] = window;
        return result;
    }

    private static JsonObject CancelKeyDeletion(KmsCallContext ctx)
    {
        var key = ctx.Key();
        if (!key.IsPendingDeletion) throw KmsErrors.InvalidState(key);
        key.State = KeyStates.Disabled;
        key.DeletionDate = null;
        key.PendingWindowInDays = null;
        return new JsonObject { ["KeyId"] = key.Arn };
    }

    private static JsonObject? UpdateKeyDescription(KmsCallContext ctx)
    {
        var key = ctx.Key();
        var description = ctx.String("Description", 0, 8192) ?? throw KmsErrors.Required("Description");
        KeyGuards.CustomerManaged(key, "UpdateKeyDescription", ctx.AccountId);
        KeyGuards.Settled(key);
        key.Description = description;
        return null;
    }
}
