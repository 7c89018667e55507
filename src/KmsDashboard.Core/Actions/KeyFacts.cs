using Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Actions;

/// <summary>A key's DescribeKey answer in one Region, SDK nullables resolved.</summary>
internal sealed record KeyFacts(
    string Region, string KeyId, string Arn, string State, bool Enabled, string Description, string KeySpec, string Origin,
    string KeyManager, bool IsMultiRegion, bool IsPrimary, bool IsReplica, string? PrimaryRegion, IReadOnlyList<string> ReplicaRegions,
    DateTimeOffset? DeletionDate)
{
    public static KeyFacts From(string region, KeyMetadata m)
    {
        var config = m.MultiRegionConfiguration;
        var type = config?.MultiRegionKeyType?.Value;
        return new KeyFacts(
            region, m.KeyId ?? "", m.Arn ?? "", m.KeyState?.Value ?? "Unknown", m.Enabled ?? false, m.Description ?? "",
            m.KeySpec?.Value ?? "", m.Origin?.Value ?? "", m.KeyManager?.Value ?? "", m.MultiRegion ?? false,
            type == "PRIMARY", type == "REPLICA", config?.PrimaryKey?.Region,
            [.. (config?.ReplicaKeys ?? []).Select(r => r.Region).Where(r => r is not null).Order(StringComparer.Ordinal)],
            m.DeletionDate is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : null);
    }

    public bool IsPendingDeletion => State is "PendingDeletion" or "PendingReplicaDeletion";
    public bool IsAwsManaged => KeyManager == "AWS";
}
