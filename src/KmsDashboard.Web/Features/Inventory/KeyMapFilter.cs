using System.Globalization;
using KmsDashboard.Core.Inventory;
using Microsoft.AspNetCore.WebUtilities;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>
/// What the key map shows: search, filters and sort. It round-trips through the query string, so a filtered view can
/// be shared and the CSV export gets exactly the rows on screen.
/// </summary>
public sealed record KeyMapFilter
{
    /// <summary>Matches key id, alias, name or description (case-insensitive).</summary>
    public string Search { get; init; } = "";
    /// <summary><c>key</c> or <c>key=value</c>: keys where any Region carries that tag.</summary>
    public string Tag { get; init; } = "";
    /// <summary>A key state; the row matches when any member is in it.</summary>
    public string State { get; init; } = "";
    public RotationFilter Rotation { get; init; }
    public KeyKindFilter Kind { get; init; }
    public bool DriftOnly { get; init; }
    /// <summary>Rows of this account (its id), when the dashboard reads several.</summary>
    public string Account { get; init; } = "";
    /// <summary>Rows with a key in this Region.</summary>
    public string Region { get; init; } = "";
    public KeyMapSort Sort { get; init; }
    public bool Descending { get; init; }

    /// <summary>Whether any search or filter is set (the sort aside): without one every row shows.</summary>
    public bool Filters => Search.Trim().Length > 0 || Tag.Length > 0 || State.Length > 0 || Rotation != RotationFilter.Any
                           || Kind != KeyKindFilter.All || DriftOnly || Region.Length > 0 || Account.Length > 0;

    /// <summary>
    /// The snapshot's rows this filter shows, in its order: the shared sorted rows themselves when nothing is filtered,
    /// else the matching ones taken from them (the same rows and order as <see cref="Apply"/>).
    /// </summary>
    public IReadOnlyList<KeyMapRow> Rows(InventorySnapshot snapshot)
    {
        var sorted = KeyMapRow.Sorted(snapshot, Sort, Descending);
        return Filters ? sorted.Where(Matches).ToArray() : sorted;
    }

    public IEnumerable<KeyMapRow> Apply(IEnumerable<KeyMapRow> rows)
    {
        var filtered = rows.Where(Matches);
        return Sort switch
        {
            KeyMapSort.KeyId => Order(filtered, r => r.KeyId),
            KeyMapSort.Regions => Descending ? filtered.OrderByDescending(r => r.Cells.Count).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                                             : filtered.OrderBy(r => r.Cells.Count).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase),
            KeyMapSort.State => Order(filtered, r => r.Representative.State),
            KeyMapSort.Drift => Descending ? filtered.OrderByDescending(r => r.Drift.Items.Count).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
                                           : filtered.OrderBy(r => r.Drift.Items.Count).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase),
            _ => Order(filtered, r => r.Name),
        };
    }

    private IEnumerable<KeyMapRow> Order(IEnumerable<KeyMapRow> rows, Func<KeyMapRow, string> by) =>
        Descending ? rows.OrderByDescending(by, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.KeyId, StringComparer.Ordinal)
                   : rows.OrderBy(by, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.KeyId, StringComparer.Ordinal);

    public bool Matches(KeyMapRow row)
    {
        if (Kind == KeyKindFilter.MultiRegion && !row.IsMultiRegion) return false;
        if (Kind == KeyKindFilter.SingleRegion && row.IsMultiRegion) return false;
        if (DriftOnly && !row.Drift.HasDrift) return false;
        if (Account.Length > 0 && !string.Equals(row.Account, Account, StringComparison.Ordinal)) return false;
        if (Region.Length > 0 && !row.Cells.ContainsKey(Region)) return false;
        if (State.Length > 0 && !row.Cells.Values.Any(c => string.Equals(c.State, State, StringComparison.OrdinalIgnoreCase))) return false;
        if (Rotation != RotationFilter.Any)
        {
            var rotation = row.Representative.Rotation;
            var ok = Rotation switch
            {
                RotationFilter.Enabled => rotation.Applies && rotation.Enabled,
                RotationFilter.Disabled => rotation.Applies && !rotation.Enabled,
                _ => !rotation.Applies,
            };
            if (!ok) return false;
        }
        if (Tag.Length > 0 && !row.Cells.Values.Any(c => HasTag(c, Tag))) return false;
        if (Search.Length > 0 && !row.SearchText.Contains(Search.Trim(), StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    private static bool HasTag(RegionalKey key, string tag)
    {
        var eq = tag.IndexOf('=');
        if (eq < 0) return key.Tags.Keys.Any(k => string.Equals(k, tag.Trim(), StringComparison.OrdinalIgnoreCase));
        var name = tag[..eq].Trim();
        var value = tag[(eq + 1)..].Trim();
        return key.Tags.Any(t => string.Equals(t.Key, name, StringComparison.OrdinalIgnoreCase) && string.Equals(t.Value, value, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The non-default settings as query parameters (for links and the CSV export).</summary>
    public Dictionary<string, string?> ToQuery()
    {
        var q = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Search.Length > 0) q["q"] = Search;
        if (Tag.Length > 0) q["tag"] = Tag;
        if (State.Length > 0) q["state"] = State;
        if (Rotation != RotationFilter.Any) q["rotation"] = Rotation.ToString();
        if (Kind != KeyKindFilter.All) q["kind"] = Kind.ToString();
        if (DriftOnly) q["drift"] = "true";
        if (Account.Length > 0) q["account"] = Account;
        if (Region.Length > 0) q["region"] = Region;
        if (Sort != KeyMapSort.Name) q["sort"] = Sort.ToString();
        if (Descending) q["desc"] = "true";
        return q;
    }

    public string ToQueryString() => QueryHelpers.AddQueryString("", ToQuery());

    /// <summary>Reads a filter from query parameters; unknown values fall back to the defaults.</summary>
    public static KeyMapFilter FromQuery(Func<string, string?> get) => new()
    {
        Search = get("q") ?? "",
        Tag = get("tag") ?? "",
        State = get("state") ?? "",
        Rotation = Enum.TryParse<RotationFilter>(get("rotation"), true, out var r) ? r : RotationFilter.Any,
        Kind = Enum.TryParse<KeyKindFilter>(get("kind"), true, out var k) ? k : KeyKindFilter.All,
        DriftOnly = bool.TryParse(get("drift"), out var d) && d,
        Account = get("account") ?? "",
        Region = get("region") ?? "",
        Sort = Enum.TryParse<KeyMapSort>(get("sort"), true, out var s) ? s : KeyMapSort.Name,
        Descending = bool.TryParse(get("desc"), out var desc) && desc,
    };

    public override string ToString() => ToQueryString().ToString(CultureInfo.InvariantCulture);
}
