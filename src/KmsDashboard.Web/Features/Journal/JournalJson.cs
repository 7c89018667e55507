using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KmsDashboard.Web.Features.Journal;

/// <summary>A journal entry's stored JSON (inputs, plan) as people read it: fields by name, and the raw text indented.</summary>
public static class JournalJson
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        // Entries written before enum names and relaxed escaping read the same once re-written.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON indented and unescaped; the text itself when it is not JSON.</summary>
    public static string Indented(string json)
    {
        try { return JsonNode.Parse(json)?.ToJsonString(Pretty) ?? json; }
        catch (JsonException) { return json; }
    }

    /// <summary>The top-level members of a JSON object as (name, readable value); empty when it is not an object.</summary>
    public static IReadOnlyList<(string Name, string Value)> Fields(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject obj) return [];
            return [.. obj.Where(p => p.Value is not null && !(p.Value is JsonArray { Count: 0 })).Select(p => (p.Key, Readable(p.Value!)))];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The members of an array of objects inside <paramref name="json"/> (e.g. the plan's Calls).</summary>
    public static IReadOnlyList<JsonObject> Items(string json, string member)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject { } obj && obj[member] is JsonArray array ? [.. array.OfType<JsonObject>()] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static string Readable(JsonNode node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray a when a.All(x => x is JsonValue) => string.Join(", ", a.Select(x => x is null ? "" : Readable(x))),
        JsonArray a => string.Join("; ", a.Select(x => x?.ToJsonString(Pretty).Replace("\n", " ", StringComparison.Ordinal) ?? "")),
        _ => node.ToJsonString(Pretty),
    };
}
