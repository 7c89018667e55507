using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>GetKeyLastUsage: the last successful cryptographic use of the key in this Region.</summary>
internal static class UsageOperations
{
    /// <summary>The date the sandbox, like KMS, began tracking key usage (a key made later is tracked from its creation).</summary>
    public static readonly DateTimeOffset TrackingStartDate = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<KmsOperation> All => [new("GetKeyLastUsage", true, GetKeyLastUsage)];

    private static JsonObject GetKeyLastUsage(KmsCallContext ctx)
    {
        var key = ctx.Key();
        var result = new JsonObject { ["KeyId"] = key.Arn };
        var usage = key.LastUsage;
        // The background traffic the CloudWatch metrics show is use too: the later of it and the calls really served.
        if (ctx.Store.ModelledLastUse?.Invoke(key.Region, key.Arn, ctx.Now) is { } modelled && (usage is null || modelled.Time > usage.Timestamp))
            usage = new KeyLastUsage(modelled.Operation, modelled.Time, StableGuid($"event|{key.Arn}|{modelled.Time.ToUnixTimeSeconds()}"),
                StableGuid($"request|{key.Arn}|{modelled.Time.ToUnixTimeSeconds()}"));
        if (usage is not null)
            result["KeyLastUsage"] = new JsonObject
            {
                ["Operation"] = usage.Operation,
                ["Timestamp"] = KmsJson.Epoch(usage.Timestamp),
                ["CloudTrailEventId"] = usage.CloudTrailEventId,
                ["KmsRequestId"] = usage.KmsRequestId,
            };
        result["TrackingStartDate"] = KmsJson.Epoch(key.CreationDate > TrackingStartDate ? key.CreationDate : TrackingStartDate);
        result["KeyCreationDate"] = KmsJson.Epoch(key.CreationDate);
        return result;
    }

    /// <summary>A GUID-shaped id that is the same every time for the same modelled call.</summary>
    private static string StableGuid(string text) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16)).ToString();
}
