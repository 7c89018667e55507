namespace KmsDashboard.Core.Inventory;

/// <summary>
/// Related multi-Region keys: one primary and its replicas, sharing a <c>mrk-</c> key id, with the drift of their
/// independent properties.
/// </summary>
public sealed record KeySet(string KeyId, string PrimaryRegion, IReadOnlyDictionary<string, RegionalKey> Members, KeySetDrift Drift)
{
    /// <summary>The primary, or null when its Region is not configured or could not be read.</summary>
    public RegionalKey? Primary => Members.GetValueOrDefault(PrimaryRegion);

    public IEnumerable<RegionalKey> Replicas => Members.Values.Where(m => m.Role == MultiRegionRole.Replica);

    /// <summary>The primary if present, else any member: what the key set is named and judged by.</summary>
    public RegionalKey Representative => Primary ?? Members.Values.OrderBy(m => m.Region, StringComparer.Ordinal).First();

    public string DisplayName => Representative.DisplayName;

    /// <summary>The account the key set lives in (a key set never spans accounts); "" in the single-account set-up.</summary>
    public string Account => Representative.Account;
}
