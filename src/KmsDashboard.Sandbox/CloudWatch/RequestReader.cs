using System.Globalization;
using System.Text.Json.Nodes;

namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// Reads request members from a JSON body, or from a query-protocol form turned into the same shape
/// (<c>A.member.1.B=x</c> → <c>{"A":[{"B":"x"}]}</c>), where every scalar arrives as a string.
/// </summary>
internal static class RequestReader
{
    public static JsonObject FromForm(IEnumerable<KeyValuePair<string, string>> form)
    {
        var root = new JsonObject();
        foreach (var (key, value) in form)
        {
            if (key is "Action" or "Version") continue;
            var parts = key.Split('.');
            JsonNode node = root;
            for (var i = 0; i < parts.Length; i++)
            {
                var last = i == parts.Length - 1;
                if (parts[i] == "member" && node is JsonArray array && i + 1 < parts.Length && int.TryParse(parts[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 1)
                {
                    while (array.Count < n) array.Add(new JsonObject());
                    i++;
                    if (i == parts.Length - 1) { array[n - 1] = value; break; }
                    node = array[n - 1] ??= new JsonObject();
                    continue;
                }
                if (node is not JsonObject obj) break;
                if (last) { obj[parts[i]] = value; break; }
                var nextIsMember = parts[i + 1] == "member";
                if (obj[parts[i]] is not { } child)
                {
                    child = nextIsMember ? new JsonArray() : new JsonObject();
                    obj[parts[i]] = child;
                }
                node = child;
            }
        }
        return root;
    }

    public static string? String(JsonObject obj, string name) => obj[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => throw CloudWatchException.Validation($"The parameter {name} must be a string."),
    };

    public static int? Int(JsonObject obj, string name, string path)
    {
        var node = obj[name];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue) return (int)l;
            if (v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        }
        throw CloudWatchException.InvalidParameterValue($"The value {node.ToJsonString()} for parameter {path} is not a valid integer.");
    }

    public static bool? Bool(JsonObject obj, string name, string path)
    {
        var node = obj[name];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b;
            if (v.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed)) return parsed;
        }
        throw CloudWatchException.InvalidParameterValue($"The value {node.ToJsonString()} for parameter {path} is not a boolean.");
    }

    /// <summary>Epoch seconds (number or numeric string) or ISO 8601.</summary>
    public static DateTimeOffset? Time(JsonObject obj, string name)
    {
        var node = obj[name];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<long>(out var whole)) return DateTimeOffset.FromUnixTimeSeconds(whole);
            if (v.TryGetValue<double>(out var seconds)) return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            if (v.TryGetValue<string>(out var s))
            {
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var secs))
                    return DateTimeOffset.UnixEpoch.AddTicks((long)(secs * TimeSpan.TicksPerSecond));
                if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                    return parsed;
            }
        }
        throw CloudWatchException.InvalidParameterValue($"The value {node.ToJsonString()} for parameter {name} is not a valid timestamp.");
    }
}
