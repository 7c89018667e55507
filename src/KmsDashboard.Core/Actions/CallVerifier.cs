using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using KmsDashboard.Core.Journal;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// Whether a journaled call whose answer never came took effect, found by re-reading the key it addressed: Done,
/// NotDone, or Unknown when the state cannot tell (or cannot be read).
/// </summary>
internal sealed partial class CallVerifier(KmsReader reader)
{
    public const string Done = "Done";
    public const string NotDone = "NotDone";
    public const string Unknown = "Unknown";

    /// <summary>How far before the action's start an on-demand rotation makes the verdict uncertain (clocks differ).</summary>
    internal static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The verdict and what was seen. <paramref name="parameters"/> is the call's request as planned (the journal keeps it
    /// as JSON; older entries' parameter text is read with <see cref="Parse"/>); <paramref name="startedAt"/> is when the
    /// action was journaled, before its first call (UTC).
    /// </summary>
    public async Task<(string Verdict, string Note)> VerifyAsync(string keyId, JournalCall call, JsonObject parameters, DateTime startedAt, CancellationToken ct)
    {
        var p = new Values(parameters);
        var key = p.GetValueOrDefault("KeyId") ?? keyId;
        try
        {
            switch (call.Operation)
            {
                case "ReplicateKey" when p.GetValueOrDefault("ReplicaRegion") is { } target:
                {
                    var replica = await reader.DescribeAsync(target, key, ct);
                    return replica is null ? (NotDone, $"{target} holds no key {key}.") : (Done, $"{target} holds the replica ({replica.State}).");
                }
                case "UpdatePrimaryRegion" when p.GetValueOrDefault("PrimaryRegion") is { } target:
                {
                    var facts = await reader.DescribeAsync(target, key, ct);
                    return facts is { IsPrimary: true } ? (Done, $"The key in {target} is the primary.")
                        : (NotDone, $"The key in {target} is {(facts is null ? "missing" : facts.IsReplica ? "still a replica" : facts.State)}.");
                }
                case "EnableKey" or "DisableKey" or "ScheduleKeyDeletion" or "CancelKeyDeletion" or "UpdateKeyDescription":
                {
                    var facts = await reader.DescribeAsync(call.Region, key, ct);
                    if (facts is null) return (Unknown, $"{key} was not found in {call.Region}.");
                    var done = call.Operation switch
                    {
                        "EnableKey" => facts.State == "Enabled",
                        "DisableKey" => facts.State == "Disabled",
                        "ScheduleKeyDeletion" => facts.IsPendingDeletion,
                        "CancelKeyDeletion" => !facts.IsPendingDeletion,
                        _ => p.TryGetValue("Description", out var description) ? facts.Description == description : (bool?)null,
                    };
                    return done switch
                    {
                        true => (Done, $"{key} in {call.Region} is {facts.State}{(call.Operation == "UpdateKeyDescription" ? " with the planned description" : "")}."),
                        false => (NotDone, $"{key} in {call.Region} is {facts.State}{(call.Operation == "UpdateKeyDescription" ? $", described \"{facts.Description}\"" : "")}."),
                        _ => (Unknown, "The planned value could not be read back from the journal."),
                    };
                }
                case "EnableKeyRotation" or "DisableKeyRotation":
                {
                    var (enabled, period, _) = await reader.RotationStatusAsync(call.Region, key, ct);
                    var wanted = call.Operation == "EnableKeyRotation";
                    var periodOk = !wanted || !int.TryParse(p.GetValueOrDefault("RotationPeriodInDays"), out var days) || period == days;
                    return enabled == wanted && periodOk
                        ? (Done, $"Automatic rotation is {(enabled ? $"on, every {period} days" : "off")}.")
                        : (NotDone, $"Automatic rotation is {(enabled ? $"on, every {period} days" : "off")}.");
                }
                case "CreateAlias" or "UpdateAlias" or "DeleteAlias" when p.GetValueOrDefault("AliasName") is { } alias:
                {
                    var found = (await reader.AliasesAsync(call.Region, ct)).FirstOrDefault(a => a.Name == alias);
                    if (call.Operation == "DeleteAlias")
                        return found.Name is null ? (Done, $"{alias} no longer exists in {call.Region}.") : (NotDone, $"{alias} still exists in {call.Region}.");
                    var target = p.GetValueOrDefault("TargetKeyId") ?? key;
                    return found.TargetKeyId == target ? (Done, $"{alias} points at {target} in {call.Region}.")
                        : (NotDone, found.Name is null ? $"{alias} does not exist in {call.Region}." : $"{alias} points at {found.TargetKeyId} in {call.Region}.");
                }
                case "UntagResource" when p.List("TagKeys") is { } keys:
                {
                    var tags = await reader.TagsAsync(call.Region, key, ct);
                    var left = keys.Where(tags.ContainsKey).ToList();
                    return left.Count == 0 ? (Done, "None of the tags remains.") : (NotDone, $"Still tagged {string.Join(", ", left)}.");
                }
                case "TagResource" when p.Tags() is { Count: > 0 } wanted:
                {
                    var tags = await reader.TagsAsync(call.Region, key, ct);
                    var differ = wanted.Where(t => !tags.TryGetValue(t.Key, out var v) || v != t.Value)
                        .Select(t => tags.TryGetValue(t.Key, out var v) ? $"{t.Key}={v}" : $"no {t.Key}").ToList();
                    return differ.Count == 0 ? (Done, $"{key} in {call.Region} has the planned tags.")
                        : (NotDone, $"{key} in {call.Region} has {string.Join(", ", differ)}.");
                }
                case "TagResource":
                    return (Unknown, "The entry was written before requests were kept: its planned tags cannot be read back. Check the key's tags by hand.");
                case "RotateKeyOnDemand":
                {
                    var rotations = await reader.OnDemandRotationDatesAsync(call.Region, key, ct);
                    var start = startedAt.AddTicks(-(startedAt.Ticks % TimeSpan.TicksPerSecond)); // KMS gives whole seconds
                    if (rotations.Where(d => d >= start).Order().FirstOrDefault() is var after && after != default)
                        return (Done, $"ListKeyRotations shows an on-demand rotation at {after:yyyy-MM-dd HH:mm:ss} UTC, after the action started.");
                    if (rotations.Where(d => d >= start - ClockTolerance).Max(d => (DateTime?)d) is { } close)
                        return (Unknown, $"An on-demand rotation at {close:yyyy-MM-dd HH:mm:ss} UTC, just before the action started at {start:HH:mm:ss}: clocks may differ, check by hand.");
                    return (NotDone, $"ListKeyRotations shows no on-demand rotation since the action started ({start:yyyy-MM-dd HH:mm:ss} UTC).");
                }
                default:
                    return (Unknown, $"{call.Operation} leaves nothing the key's state shows for certain: check the key (and CloudTrail) by hand.");
            }
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or TaskCanceledException)
        {
            return (Unknown, $"Could not read {call.Region}: {ex.GetBaseException().Message}");
        }
    }

    /// <summary>Reads an older entry's <c>Name=value, Name="quoted value"</c> parameter text (entries before the request JSON was kept).</summary>
    internal static JsonObject Parse(string parameters)
    {
        var values = new JsonObject();
        foreach (Match m in ParameterPattern().Matches(parameters))
        {
            var name = m.Groups["name"].Value;
            if (!values.ContainsKey(name)) values[name] = m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["plain"].Value.Trim();
        }
        return values;
    }

    /// <summary>A request's values: JSON from the journal, or strings read from older entries' text.</summary>
    private readonly struct Values(JsonObject json)
    {
        public string? GetValueOrDefault(string name) => json[name] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => null,
        };

        public bool TryGetValue(string name, out string value)
        {
            value = GetValueOrDefault(name) ?? "";
            return json[name] is JsonValue;
        }

        /// <summary>A list: a JSON array, or the comma-separated text older entries kept.</summary>
        public IReadOnlyList<string>? List(string name) => json[name] switch
        {
            JsonArray a => [.. a.OfType<JsonValue>().Select(v => v.ToString())],
            JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            _ => null,
        };

        /// <summary>The request's tags (<c>[{"TagKey":…,"TagValue":…}]</c>); null for older entries, whose tag text cannot be told apart.</summary>
        public IReadOnlyDictionary<string, string>? Tags() => json["Tags"] is JsonArray a
            ? a.OfType<JsonObject>().Where(t => t["TagKey"] is not null)
                .ToDictionary(t => t["TagKey"]!.GetValue<string>(), t => t["TagValue"]?.GetValue<string>() ?? "", StringComparer.Ordinal)
            : null;
    }

    [GeneratedRegex("""(?:^|,\s)(?<name>[A-Za-z]+)=(?:"(?<quoted>[^"]*)"(?=,\s[A-Za-z]+=|$)|(?<plain>[^,]*(?:,(?!\s[A-Za-z]+=)[^,]*)*))""", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterPattern();
}
