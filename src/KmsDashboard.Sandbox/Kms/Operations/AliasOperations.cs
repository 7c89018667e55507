using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>CreateAlias, UpdateAlias, DeleteAlias, ListAliases: per Region, never copied to replicas.</summary>
internal static class AliasOperations
{
    public static IEnumerable<KmsOperation> All =>
    [
        new("CreateAlias", false, CreateAlias),
        new("UpdateAlias", false, UpdateAlias),
        new("DeleteAlias", false, DeleteAlias),
        new("ListAliases", true, ListAliases),
    ];

    private static JsonObject? CreateAlias(KmsCallContext ctx)
    {
        var name = ctx.RequiredString("AliasName", 1, 256);
        AliasRules.CheckCustomerName(name);
        var target = ctx.Key("TargetKeyId");
        if (ctx.Store.FindAlias(ctx.Region, name) is { } existing)
            throw KmsErrors.AlreadyExists($"An alias with the name {existing.Arn} already exists");
        KeyGuards.CustomerManaged(target, "CreateAlias", ctx.AccountId);
        if (target.IsPendingDeletion) throw KmsErrors.InvalidState(target);
        ctx.Store.AddAlias(ctx.Region, name, target, ctx.Now);
        return null;
    }

    private static JsonObject? UpdateAlias(KmsCallContext ctx)
    {
        var name = ctx.RequiredString("AliasName", 1, 256);
        AliasRules.CheckCustomerName(name);
        var alias = ctx.Store.FindAlias(ctx.Region, name)
                    ?? throw KmsErrors.NotFound($"Alias {AliasRules.Arn(ctx.Region, ctx.AccountId, name)} is not found.");
        var target = ctx.Key("TargetKeyId");
        KeyGuards.CustomerManaged(target, "UpdateAlias", ctx.AccountId);
        if (target.IsPendingDeletion) throw KmsErrors.InvalidState(target);
        if (ctx.Store.Find(ctx.Region, alias.TargetKeyId) is { } current)
        {
            ctx.Touch(current);
            if (KeyType(current) != KeyType(target) || current.Family.KeyUsage != target.Family.KeyUsage)
                throw KmsErrors.Validation($"{target.Arn} is not the same key type and key usage as {current.Arn}, the current target of {name}.");
        }
        alias.TargetKeyId = target.KeyId;
        alias.LastUpdatedDate = ctx.Now;
        return null;
    }

    private static string KeyType(KmsKey key) =>
        key.Family.IsSymmetricEncryption ? "SYMMETRIC" : KeySpecs.IsHmac(key.Family.KeySpec) ? "HMAC" : "ASYMMETRIC";

    private static JsonObject? DeleteAlias(KmsCallContext ctx)
    {
        var name = ctx.RequiredString("AliasName", 1, 256);
        AliasRules.CheckCustomerName(name);
        var alias = ctx.Store.FindAlias(ctx.Region, name)
                    ?? throw KmsErrors.NotFound($"Alias {AliasRules.Arn(ctx.Region, ctx.AccountId, name)} is not found.");
        if (ctx.Store.Find(ctx.Region, alias.TargetKeyId) is { } target) ctx.Touch(target);
        ctx.Store.RemoveAlias(ctx.Region, name);
        return null;
    }

    private static JsonObject ListAliases(KmsCallContext ctx)
    {
        var keyFilter = ctx.String("KeyId", 1, 2048) is null ? null : ctx.Key();
        var limit = ctx.Int("Limit", 1, 1000);
        var aliases = ctx.Store.Aliases(ctx.Region).Where(a => keyFilter is null || a.TargetKeyId == keyFilter.KeyId);
        var page = Paging.Take(aliases, a => a.Name, limit, 100, 50, ctx.String("Marker", 1, 1024));
        var result = new JsonObject
        {
            ["Aliases"] = new JsonArray([.. page.Items.Select(a => (JsonNode?)new JsonObject
            {
                ["AliasName"] = a.Name,
                ["AliasArn"] = a.Arn,
                ["TargetKeyId"] = a.TargetKeyId,
                ["CreationDate"] = KmsJson.Epoch(a.CreationDate),
                ["LastUpdatedDate"] = KmsJson.Epoch(a.LastUpdatedDate),
            })]),
            ["Truncated"] = page.Truncated,
        };
        if (page.NextMarker is not null) result["NextMarker"] = page.NextMarker;
        return result;
    }
}
