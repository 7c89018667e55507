using KmsDashboard.Core.Inventory;
using Microsoft.AspNetCore.Components;

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

    /// <summary>The matrix row's cells as HTML for these Regions, built on first use and shared by every circuit.</summary>
    public (MarkupString Key, MarkupString Cells, MarkupString Drift) MatrixMarkup(IReadOnlyList<string> regions)
    {
        if (Volatile.Read(ref _matrix) is { } built && SameRegions(built.Regions, regions)) return (built.Key, built.Cells, built.Drift);
        var made = new MatrixHtml(regions, KeyMapMarkup.MatrixKey(this), KeyMapMarkup.MatrixCells(this, regions), KeyMapMarkup.MatrixDrift(this));
        Volatile.Write(ref _matrix, made); // a race builds the same HTML twice; either copy is right
        return (made.Key, made.Cells, made.Drift);
    }

    /// <summary>The phone card's contents as HTML for these Regions, built on first use and shared by every circuit.</summary>
    public MarkupString CardMarkup(IReadOnlyList<string> regions)
    {
        if (Volatile.Read(ref _card) is { } built && SameRegions(built.Regions, regions)) return built.Html;
        var made = new CardHtml(regions, KeyMapMarkup.Card(this, regions));
        Volatile.Write(ref _card, made);
        return made.Html;
    }

    private MatrixHtml? _matrix;
    private CardHtml? _card;
    private sealed record MatrixHtml(IReadOnlyList<string> Regions, MarkupString Key, MarkupString Cells, MarkupString Drift);
    private sealed record CardHtml(IReadOnlyList<string> Regions, MarkupString Html);

    private static bool SameRegions(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        ReferenceEquals(a, b) || a.SequenceEqual(b, StringComparer.Ordinal);

    /// <summary>Rows for a snapshot: key sets first, then single-Region keys, each by name.</summary>
    public static IReadOnlyList<KeyMapRow> From(InventorySnapshot snapshot) => Cache.GetValue(snapshot, s => new SnapshotRows(s)).All;

    /// <summary>
    /// Every row of the snapshot in one order (<see cref="KeyMapFilter.Apply"/>'s), sorted once per snapshot and order and
    /// shared by every circuit: an unfiltered key map holds no list of its own, and a filter keeps this order.
    /// </summary>
    public static IReadOnlyList<KeyMapRow> Sorted(InventorySnapshot snapshot, KeyMapSort sort, bool descending)
    {
        var rows = Cache.GetValue(snapshot, s => new SnapshotRows(s));
        return rows.Orders.GetOrAdd((sort, descending), key => new KeyMapFilter { Sort = key.Sort, Descending = key.Descending }.Apply(rows.All).ToArray());
    }

    // Built once per snapshot, shared by every circuit showing it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<InventorySnapshot, SnapshotRows> Cache = new();

    private sealed class SnapshotRows(InventorySnapshot snapshot)
    {
        public IReadOnlyList<KeyMapRow> All { get; } = [.. snapshot.KeySets.Select(For), .. snapshot.SingleRegionKeys.Select(For)];
        public System.Collections.Concurrent.ConcurrentDictionary<(KeyMapSort Sort, bool Descending), KeyMapRow[]> Orders { get; } = new();
    }
}
