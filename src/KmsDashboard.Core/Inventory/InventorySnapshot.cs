namespace KmsDashboard.Core.Inventory;

/// <summary>
/// The whole key estate at one moment, immutable and shared by every user: key sets (related multi-Region keys),
/// single-Region keys, AWS managed keys, and how each Region's read went.
/// </summary>
public sealed class InventorySnapshot
{
    private readonly Dictionary<(string Account, string KeyId), KeySet> _keySetsById;
    private readonly Dictionary<KeyRef, RegionalKey> _byRef;

    private InventorySnapshot(
        IReadOnlyList<string> regions,
        IReadOnlyDictionary<string, IReadOnlyList<RegionalKey>> keysByRegion,
        IReadOnlyDictionary<string, RegionReadStatus> regionStatus,
        DateTimeOffset? readAt,
        IReadOnlyList<AccountReadStatus>? accounts,
        InventorySnapshot? sameKeysAs = null)
    {
        Regions = regions;
        KeysByRegion = keysByRegion;
        Accounts = accounts ?? [];
        RegionStatus = Accounts.Count == 0 ? regionStatus : AggregateRegions(regions, Accounts);
        ReadAt = readAt;
        if (sameKeysAs is not null)
        {
            // The same Regions with the same key lists: what is built from the keys alone is the same, and is shared.
            _byRef = sameKeysAs._byRef;
            _keySetsById = sameKeysAs._keySetsById;
            KeySets = sameKeysAs.KeySets;
            SingleRegionKeys = sameKeysAs.SingleRegionKeys;
            AwsManagedKeys = sameKeysAs.AwsManagedKeys;
            return;
        }

        _byRef = new Dictionary<KeyRef, RegionalKey>();
        // A key set is keyed by account and key id: related keys share an id only within one account.
        var multi = new Dictionary<(string Account, string KeyId), Dictionary<string, RegionalKey>>();
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
                    if (!multi.TryGetValue((key.Account, key.KeyId), out var members)) multi[(key.Account, key.KeyId)] = members = new(StringComparer.Ordinal);
                    members[key.Region] = key;
                }
                else single.Add(key);
            }
        }

        // Aliases are unique per account and Region, so drift compares against the key set's own account.
        var aliasTargets = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var region in regions)
            foreach (var byAccount in (keysByRegion.GetValueOrDefault(region) ?? []).GroupBy(k => k.Account, StringComparer.Ordinal))
            {
                if (!aliasTargets.TryGetValue(byAccount.Key, out var perRegion)) aliasTargets[byAccount.Key] = perRegion = new(StringComparer.Ordinal);
                perRegion[region] = AliasTargets([.. byAccount]);
            }
        KeySets = multi
            .Select(kv =>
            {
                var primaryRegion = kv.Value.Values.Select(m => m.PrimaryRegion).FirstOrDefault(p => p is not null)
                                    ?? kv.Value.Values.First().Region;
                var targets = aliasTargets.GetValueOrDefault(kv.Key.Account) ?? new Dictionary<string, Dictionary<string, string>>();
                return new KeySet(kv.Key.KeyId, primaryRegion, kv.Value, KeySetDriftDetector.Detect(primaryRegion, kv.Value, targets));
            })
            .OrderBy(s => s.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.KeyId, StringComparer.Ordinal).ThenBy(s => s.Account, StringComparer.Ordinal)
            .ToList();
        _keySetsById = KeySets.ToDictionary(s => (s.Account, s.KeyId));
        SingleRegionKeys = single.OrderBy(k => k.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(k => k.Region, StringComparer.Ordinal).ToList();
        AwsManagedKeys = managed.OrderBy(k => k.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(k => k.Region, StringComparer.Ordinal).ToList();
    }

    public static readonly InventorySnapshot Empty = Create([], new Dictionary<string, IReadOnlyList<RegionalKey>>(), new Dictionary<string, RegionReadStatus>(), null);

    /// <summary>
    /// Builds a snapshot from each Region's keys; grouping and drift are computed here, once. With
    /// <paramref name="accounts"/> (the multi-account set-up) each Region's status is the sum of its accounts' statuses
    /// and <paramref name="regionStatus"/> is not used.
    /// </summary>
    public static InventorySnapshot Create(
        IReadOnlyList<string> regions,
        IReadOnlyDictionary<string, IReadOnlyList<RegionalKey>> keysByRegion,
        IReadOnlyDictionary<string, RegionReadStatus> regionStatus,
        DateTimeOffset? readAt,
        IReadOnlyList<AccountReadStatus>? accounts = null) => new(regions, keysByRegion, regionStatus, readAt, accounts);

    /// <summary>The accounts read, in order, with how each fared; empty in the single-account set-up.</summary>
    public IReadOnlyList<AccountReadStatus> Accounts { get; }

    /// <summary>True when the dashboard reads several accounts (an account column and filter are shown).</summary>
    public bool MultiAccount => Accounts.Count > 0;

    public AccountReadStatus? FindAccount(string? accountId) => Accounts.FirstOrDefault(a => a.Id == accountId);

    /// <summary>"Name (Id)" for an account of this snapshot, the id for one it does not know, "" for the single account.</summary>
    public string AccountLabel(string? accountId) =>
        string.IsNullOrEmpty(accountId) ? "" : FindAccount(accountId)?.Label ?? accountId;

    /// <summary>Each account's short name (its Name, else its id), for narrow columns.</summary>
    public string AccountName(string? accountId) =>
        string.IsNullOrEmpty(accountId) ? "" : FindAccount(accountId) is { } a && !string.IsNullOrEmpty(a.Name) ? a.Name : accountId;

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

    /// <summary>
    /// The key set with this id in <paramref name="account"/>; with no account given, the single account's, or else the
    /// first account's that has one (ids of multi-Region keys are random, so two accounts sharing one is unlikely).
    /// </summary>
    public KeySet? FindKeySet(string keyId, string? account = null)
    {
        if (account is not null) return _keySetsById.GetValueOrDefault((account, keyId));
        if (_keySetsById.TryGetValue(("", keyId), out var single)) return single;
        return MultiAccount ? KeySets.FirstOrDefault(s => s.KeyId == keyId) : null;
    }

    /// <summary>Every Region's key with this id (in <paramref name="account"/> when given): the members of a key set, or the one single-Region key.</summary>
    public IReadOnlyList<RegionalKey> FindById(string keyId, string? account = null) =>
        FindKeySet(keyId, account) is { } set
            ? [.. set.Members.Values.OrderBy(m => m.Role != MultiRegionRole.Primary).ThenBy(m => m.Region, StringComparer.Ordinal)]
            : [.. AllKeys.Where(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal) && (account is null || k.Account == account))];

    public RegionReadStatus StatusOf(string region) => RegionStatus.GetValueOrDefault(region) ?? new RegionReadStatus(region, null);

    /// <summary>A copy with some Regions' keys and statuses replaced, everything else shared.</summary>
    public InventorySnapshot With(
        IReadOnlyDictionary<string, IReadOnlyList<RegionalKey>> keys,
        IReadOnlyDictionary<string, RegionReadStatus> statuses,
        IReadOnlyList<string>? regions = null,
        DateTimeOffset? readAt = null,
        IReadOnlyList<AccountReadStatus>? accounts = null)
    {
        var allRegions = regions ?? Regions;
        var mergedKeys = new Dictionary<string, IReadOnlyList<RegionalKey>>(StringComparer.Ordinal);
        var mergedStatus = new Dictionary<string, RegionReadStatus>(StringComparer.Ordinal);
        // Key sets, drift and the sorted lists depend only on the Regions in order and their key lists: when neither
        // changes (a status, the accounts or the read time does), they are this snapshot's, not built again over every key.
        var sameKeys = allRegions.SequenceEqual(Regions, StringComparer.Ordinal);
        foreach (var region in allRegions)
        {
            if (keys.TryGetValue(region, out var k))
            {
                mergedKeys[region] = k;
                sameKeys &= ReferenceEquals(k, KeysByRegion.GetValueOrDefault(region));
            }
            else if (KeysByRegion.TryGetValue(region, out k)) mergedKeys[region] = k;
            if (statuses.TryGetValue(region, out var s) || RegionStatus.TryGetValue(region, out s)) mergedStatus[region] = s;
        }
        return new InventorySnapshot(allRegions, mergedKeys, mergedStatus, readAt ?? ReadAt, accounts ?? (MultiAccount ? Accounts : null),
            sameKeys ? this : null);
    }

    /// <summary>
    /// A Region's status over every account that reads it: read when all have read it, failing when any fails (an account
    /// whose role could not be assumed is left out: it is shown failing as an account).
    /// </summary>
    private static Dictionary<string, RegionReadStatus> AggregateRegions(IReadOnlyList<string> regions, IReadOnlyList<AccountReadStatus> accounts)
    {
        var result = new Dictionary<string, RegionReadStatus>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            // An account whose role could not be assumed fails as an account, not as its Regions.
            var parts = accounts.Where(a => a.AssumeError is null && a.Regions.ContainsKey(region)).Select(a => (Account: a, Status: a.Regions[region])).ToList();
            if (parts.Count == 0) continue;
            var failing = parts.Where(p => p.Status.Error is not null).ToList();
            result[region] = new RegionReadStatus(region,
                parts.Any(p => p.Status.ReadAt is null) ? null : parts.Min(p => p.Status.ReadAt),
                failing.Count == 0 ? null : string.Join("; ", failing.Select(p => $"{p.Account.Label}: {p.Status.Error}")),
                failing.Count == 0 ? null : failing.Min(p => p.Status.FailingSince),
                parts.Sum(p => p.Status.KeyCount));
        }
        return result;
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
