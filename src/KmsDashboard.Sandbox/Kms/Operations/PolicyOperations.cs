using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>GetKeyPolicy, PutKeyPolicy, ListKeyPolicies: one policy named "default" per key, independent per Region.</summary>
internal static class PolicyOperations
{
    private const string DefaultName = "default";

    public static IEnumerable<KmsOperation> All =>
    [
        new("GetKeyPolicy", true, GetKeyPolicy),
        new("PutKeyPolicy", false, PutKeyPolicy),
        new("ListKeyPolicies", true, ListKeyPolicies),
    ];

    private static void CheckName(KmsCallContext ctx)
    {
        var name = ctx.String("PolicyName", 1, 128) ?? DefaultName;
        if (name != DefaultName) throw KmsErrors.NotFound($"No such policy exists: {name}. The only policy name is \"default\".");
    }

    private static JsonObject GetKeyPolicy(KmsCallContext ctx)
    {
        var key = ctx.Key();
        CheckName(ctx);
        return new JsonObject { ["Policy"] = key.Policy, ["PolicyName"] = DefaultName };
    }

    private static JsonObject? PutKeyPolicy(KmsCallContext ctx)
    {
        var key = ctx.Key();
        CheckName(ctx);
        var policy = ctx.RequiredString("Policy", 1, 131072);
        PolicyRules.Check(policy);
        ctx.CheckLockout(policy);
        KeyGuards.CustomerManaged(key, "PutKeyPolicy", ctx.AccountId);
        KeyGuards.Settled(key);
        key.Policy = policy;
        return null;
    }

    private static JsonObject ListKeyPolicies(KmsCallContext ctx)
    {
        ctx.Key();
        ctx.Int("Limit", 1, 1000);
        return new JsonObject { ["PolicyNames"] = KmsJson.Array([DefaultName]), ["Truncated"] = false };
    }
}
