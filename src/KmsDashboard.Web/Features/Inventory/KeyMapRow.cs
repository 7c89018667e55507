using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>One row of the key map: a key set (its members across Regions) or a single-Region key in its Region.</summary>
public sealed class KeyMapRow
{
    private KeyMapRow(string keyId, string name, bool multiRegion, string? primaryRegion, IReadOnlyDictionary<string, RegionalKey> cells, KeySetDrift drift)
    {
        KeyId = keyId;
        Name = name;
        IsMultiRegion = multiRegion;
        PrimaryRegion = primaryRegion;
        Cells = cells;
        Drift = drift;
        Representative = multiRegion && primaryRegion is not null && cells.TryGetValue(primaryRegion, out var p) ? p : cells.Values.First();
        Account = Representative.Account;
        SearchText = string.Join('\n', [keyId, name, .. cells.Values.SelectMany(c => c.Aliases), .. cells.Values.Select(c => c.Description)]);
    }

    public static KeyMapRow For(KeySet set) => new(set.KeyId, set.DisplayName, true, set.PrimaryRegion, set.Members, set.Drift);

    public static KeyMapRow For(RegionalKey key) =>
        new(key.KeyId, key.DisplayName, false, null, new Dictionary<string, RegionalKey>(StringComparer.Ordinal) { [key.Region] = key }, KeySetDrift.None);

    public string KeyId { get; }
    /// <summary>The account the row's keys live in ("" in the single-account set-up).</summary>
    public string Account { get; }
    public string Name { get; }
    public bool IsMultiRegion { get; }
    public string? PrimaryRegion { get; }
    /// <summary>The row's key in each Region where it exists.</summary>
    public IReadOnlyDictionary<string, RegionalKey> Cells { get; }
    public KeySetDrift Drift { get; }
    /// <summary>The primary (or the single-Region key): what the row's state, rotation and tags are judged by.</summary>
    public RegionalKey Representative { get; }
    /// <summary>Key id, name, every alias and description, for the search box.</summary>
    public string SearchText { get; }

    /// <summary>Where a click on the row's Region cell leads.</summary>
    public string DetailHref(string? region = null) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"keys/{Uri.EscapeDataString(KeyId)}",
            new Dictionary<string, string?> { ["region"] = region, ["account"] = Account.Length > 0 ? Account : null }.Where(p => p.Value is not null));

    /// <summary>Rows for a snapshot: key sets first, then single-Region keys, each by name.</summary>
    public static IReadOnlyList<KeyMapRow> From(InventorySnapshot snapshot) =>
        Cache.GetValue(snapshot, s => [.. s.KeySets.Select(For), .. s.SingleRegionKeys.Select(For)]);

    // Built once per snapshot, shared by every circuit showing it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<InventorySnapshot, IReadOnlyList<KeyMapRow>> Cache = new();
}
