using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.Kms.Operations;

/// <summary>GetKeyLastUsage: the last successful cryptographic use of the key in this Region.</summary>
internal static class UsageOperations
{
    /// <summary>The date the sandbox, like KMS, began tracking key usage.</summary>
    public static readonly DateTimeOffset TrackingStartDate = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEnumerable<KmsOperation> All => [new("GetKeyLastUsage", true, GetKeyLastUsage)];

    private static JsonObject GetKeyLastUsage(KmsCallContext ctx)
    {
        var key = ctx.Key();
        var result = new JsonObject { ["KeyId"] = key.Arn };
        if (key.LastUsage is { } usage)
            result["KeyLastUsage"] = new JsonObject
            {
                ["Operation"] = usage.Operation,
                ["Timestamp"] = KmsJson.Epoch(usage.Timestamp),
                ["CloudTrailEventId"] = usage.CloudTrailEventId,
                ["KmsRequestId"] = usage.KmsRequestId,
            };
        result["TrackingStartDate"] = KmsJson.Epoch(TrackingStartDate);
        result["KeyCreationDate"] = KmsJson.Epoch(key.CreationDate);
        return result;
    }
}
