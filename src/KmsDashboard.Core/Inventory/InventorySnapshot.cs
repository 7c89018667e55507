namespace KmsDashboard.Core.Inventory;

/// <summary>
/// The whole key estate at one moment, immutable and shared by every user: key sets (related multi-Region keys),
/// single-Region keys, AWS managed keys, and how each Region's read went.
/// </summary>
public sealed class InventorySnapshot
{
    private readonly Dictionary<string, KeySet> _keySetsById;
    private readonly Dictionary<KeyRef, RegionalKey> _byRef;

    private InventorySnapshot(
        IReadOnlyList<string> regions,
        IReadOnlyDictionary<string, IReadOnlyList<RegionalKey>> keysByRegion,
        IReadOnlyDictionary<string, RegionReadStatus> regionStatus,
        DateTimeOffset? readAt)
    {
        Regions = regions;
        KeysByRegion = keysByRegion;
        RegionStatus = regionStatus;
        ReadAt = readAt;

        _byRef = new Dictionary<KeyRef, RegionalKey>();
        var multi = new Dictionary<string, Dictionary<string, RegionalKey>>(StringComparer.Ordinal);
        var single = new List<RegionalKey>();
        var managed = new List<RegionalKey>();
        foreach (var region in regions)
        {
            foreach (var key in keysByRegion.GetValueOrDefault(region) ?? [])
            {
                _byRef[key.Ref] = key;
                if (key.AwsManaged) managed.Add(key);
                else if (key.IsMultiRegion)
                {
                    if (!multi.TryGetValue(key.KeyId, out var members)) multi[key.KeyId] = members = new(StringComparer.Ordinal);
                    members[key.Region] = key;
                }
                else single.Add(key);
            }
        }

        var aliasTargets = regions.ToDictionary(r => r, r => AliasTargets(keysByRegion.GetValueOrDefault(r) ?? []), StringComparer.Ordinal);
        KeySets = multi
            .Select(kv =>
            {
                var primaryRegion = kv.Value.Values.Select(m => m.PrimaryRegion).FirstOrDefault(p => p is not null)
                                    ?? kv.Value.Values.First().Region;
                return new KeySet(kv.Key, primaryRegion, kv.Value, KeySetDriftDetector.Detect(primaryRegion, kv.Value, aliasTargets));
            })
            .OrderBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.KeyId, StringComparer.Ordinal)
            .ToList();
        _keySetsById = KeySets.ToDictionary(s => s.KeyId, StringComparer.Ordinal);
        SingleRegionKeys = single.OrderBy(k => k.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(k => k.Region, StringComparer.Ordinal).ToList();
        AwsManagedKeys = managed.OrderBy(k => k.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(k => k.Region, StringComparer.Ordinal).ToList();
    }

    public static readonly InventorySnapshot Empty = Create([], new Dictionary<string, IReadOnlyList<RegionalKey>>(), new Dictionary<string, RegionReadStatus>(), null);

    /// <summary>Builds a snapshot from each Region's keys; grouping and drift are computed here, once.</summary>
    public static InventorySnapshot Create(
        IReadOnlyList<string> regions,
        IReadOnlyDictionary<string, IReadOnlyList<RegionalKey>> keysByRegion,
        IReadOnlyDictionary<string, RegionReadStatus> regionStatus,
        DateTimeOffset? readAt) => new(regions, keysByRegion, regionStatus, readAt);

    /// <summary>The configured Regions, in configuration order.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>Each Region's keys as last read (a failed Region keeps its last good data).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<RegionalKey>> KeysByRegion { get; }

    public IReadOnlyDictionary<string, RegionReadStatus> RegionStatus { get; }

    /// <summary>When the refresh that produced this snapshot finished (null before the first read).</summary>
    public DateTimeOffset? ReadAt { get; }

    /// <summary>Related multi-Region keys, by display name.</summary>
    public IReadOnlyList<KeySet> KeySets { get; }

    /// <summary>Customer managed single-Region keys, by display name then Region.</summary>
    public IReadOnlyList<RegionalKey> SingleRegionKeys { get; }

    /// <summary>AWS managed keys (<c>alias/aws/*</c>): listed apart, never actionable.</summary>
    public IReadOnlyList<RegionalKey> AwsManagedKeys { get; }

    /// <summary>Every key in every Region, AWS managed ones included.</summary>
    public IEnumerable<RegionalKey> AllKeys => Regions.SelectMany(r => KeysByRegion.GetValueOrDefault(r) ?? []);

    public IEnumerable<RegionalKey> CustomerKeys => AllKeys.Where(k => !k.AwsManaged);

    public int KeyCount => _byRef.Count;

    public RegionalKey? Find(KeyRef key) => _byRef.GetValueOrDefault(key);

    public KeySet? FindKeySet(string keyId) => _keySetsById.GetValueOrDefault(keyId);

    /// <summary>Every Region's key with this id: the members of a key set, or the one single-Region key.</summary>
    public IReadOnlyList<RegionalKey> FindById(string keyId) =>
        _keySetsById.TryGetValue(keyId, out var set)
            ? [.. set.Members.Values.OrderBy(m => m.Role != MultiRegionRole.Primary).ThenBy(m => m.Region, StringComparer.Ordinal)]
            : [.. AllKeys.Where(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal))];

    public RegionReadStatus StatusOf(string region) => RegionStatus.GetValueOrDefault(region) ?? new RegionReadStatus(region, null);

    /// <summary>A copy with some Regions' keys and statuses replaced, everything else shared.</summary>
    public InventorySnapshot With(
        IReadOnlyDictionary<string, IReadOnlyList<RegionalKey>> keys,
        IReadOnlyDictionary<string, RegionReadStatus> statuses,
        IReadOnlyList<string>? regions = null,
        DateTimeOffset? readAt = null)
    {
        var allRegions = regions ?? Regions;
        var mergedKeys = new Dictionary<string, IReadOnlyList<RegionalKey>>(StringComparer.Ordinal);
        var mergedStatus = new Dictionary<string, RegionReadStatus>(StringComparer.Ordinal);
        foreach (var region in allRegions)
        {
            if (keys.TryGetValue(region, out var k) || KeysByRegion.TryGetValue(region, out k)) mergedKeys[region] = k;
            if (statuses.TryGetValue(region, out var s) || RegionStatus.TryGetValue(region, out s)) mergedStatus[region] = s;
        }
        return Create(allRegions, mergedKeys, mergedStatus, readAt ?? ReadAt);
    }

    private static Dictionary<string, string> AliasTargets(IReadOnlyList<RegionalKey> keys)
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
            foreach (var alias in key.Aliases)
                targets[alias] = key.KeyId;
        return targets;
    }
}
