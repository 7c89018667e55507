using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>
/// A native select's options as one HTML string, the chosen one marked <c>selected</c>, built once per list and choice
/// and shared by every circuit: as elements the key map's filter selects were some 90 frames of each circuit's render
/// tree, enough to double its frame arrays (bench/README.md, circuits). The <c>selected</c> mark keeps the choice shown
/// when the markup is replaced (a new snapshot's Regions), where Blazor would otherwise only set the select's value on
/// option elements it inserts itself. Values and labels are HTML-encoded.
/// </summary>
public static class SelectOptions
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    /// <summary>Per owner of a list (a snapshot, or a static list), per kind of list and choice: its HTML.</summary>
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<(string Kind, string Selected), MarkupString>> Cache = new();

    /// <summary>
    /// The options of <paramref name="options"/> (value, label) with <paramref name="selected"/> marked, cached under
    /// <paramref name="owner"/> (an object that lives as long as the list is right: the snapshot it comes from) and
    /// <paramref name="kind"/> (which list of that owner).
    /// </summary>
    public static MarkupString Markup(object owner, string kind, Func<IEnumerable<(string Value, string Label)>> options, string selected)
    {
        var byChoice = Cache.GetOrCreateValue(owner);
        if (byChoice.TryGetValue((kind, selected), out var html)) return html;
        var built = Build(options(), selected);
        return byChoice.Count < 256 ? byChoice.GetOrAdd((kind, selected), built) : built; // bounded: a tampered URL's values
    }

    private static MarkupString Build(IEnumerable<(string Value, string Label)> options, string selected)
    {
        var html = new StringBuilder();
        foreach (var (value, label) in options)
        {
            html.Append("<option value=\"").Append(Encoder.Encode(value)).Append('"');
            if (value == selected) html.Append(" selected");
            html.Append('>').Append(Encoder.Encode(label)).Append("</option>");
        }
        return new MarkupString(html.ToString());
    }
}
