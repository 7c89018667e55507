namespace KmsDashboard.Core.Inventory;

/// <summary>KMS request quotas per account, Region and second, for the operations the inventory reads with (AWS-FACTS.md).</summary>
public static class KmsRequestQuotas
{
    public const string ListKeys = "ListKeys";
    public const string ListAliases = "ListAliases";
    public const string DescribeKey = "DescribeKey";
    public const string GetKeyPolicy = "GetKeyPolicy";
    public const string ListResourceTags = "ListResourceTags";
    public const string GetKeyRotationStatus = "GetKeyRotationStatus";
    public const string ListKeyRotations = "ListKeyRotations";
    public const string GetKeyLastUsage = "GetKeyLastUsage";

    private static readonly Dictionary<string, double> PerSecond = new(StringComparer.Ordinal)
    {
        [ListKeys] = 500,
        [ListAliases] = 500,
        [DescribeKey] = 2000,
        [GetKeyPolicy] = 1000,
        [ListResourceTags] = 2000,
        [GetKeyRotationStatus] = 1000,
        [ListKeyRotations] = 100,
        [GetKeyLastUsage] = 5,
    };

    /// <summary>Requests per second allowed for <paramref name="operation"/> in one Region.</summary>
    public static double For(string operation) =>
        PerSecond.TryGetValue(operation, out var q) ? q : throw new ArgumentException($"No quota is known for KMS {operation}.", nameof(operation));

    public static IReadOnlyCollection<string> Operations => PerSecond.Keys;
}
