using System.Text.Json;
using System.Text.Json.Nodes;

namespace KmsDashboard.Core.Inventory;

/// <summary>Compares each replica's independent properties with the primary's.</summary>
internal static class KeySetDriftDetector
{
    public static KeySetDrift Detect(
        string primaryRegion,
        IReadOnlyDictionary<string, RegionalKey> members,
        IReadOnlyDictionary<string, Dictionary<string, string>> aliasTargetsByRegion)
    {
        if (!members.TryGetValue(primaryRegion, out var primary)) return KeySetDrift.None;
        List<DriftItem>? items = null;
        foreach (var (region, replica) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (ReferenceEquals(replica, primary)) continue;
            // What could not be read is not known to differ: only the aliases (from ListAliases) are compared then.
            var partlyRead = primary.ReadError is not null || replica.ReadError is not null;
            var metadataRead = primary.MetadataRead && replica.MetadataRead;
            void Add(DriftProperty p, string detail) => (items ??= []).Add(new DriftItem(region, p, detail));

            var targets = aliasTargetsByRegion.GetValueOrDefault(region);
            foreach (var alias in primary.Aliases.Except(replica.Aliases, StringComparer.Ordinal))
            {
                var other = targets?.GetValueOrDefault(alias);
                Add(DriftProperty.Aliases, other is null
                    ? $"{alias} is missing"
                    : $"{alias} points at {other} instead");
            }
            foreach (var alias in replica.Aliases.Except(primary.Aliases, StringComparer.Ordinal))
                Add(DriftProperty.Aliases, $"{alias} exists only here");

            if (!partlyRead)
            {
                foreach (var (tagKey, value) in primary.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    if (!replica.Tags.TryGetValue(tagKey, out var replicaValue)) Add(DriftProperty.Tags, $"tag {tagKey} is missing");
                    else if (!string.Equals(value, replicaValue, StringComparison.Ordinal)) Add(DriftProperty.Tags, $"tag {tagKey} is '{replicaValue}', primary has '{value}'");
                }
                foreach (var tagKey in replica.Tags.Keys.Except(primary.Tags.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
                    Add(DriftProperty.Tags, $"tag {tagKey} exists only here");
                if (primary.Policy is not null && replica.Policy is not null && !PoliciesEqual(primary.Policy, replica.Policy))
                    Add(DriftProperty.Policy, "key policy differs from the primary's");
            }
            if (!metadataRead) continue;
            if (!string.Equals(primary.Description, replica.Description, StringComparison.Ordinal))
                Add(DriftProperty.Description, $"description is '{replica.Description}', primary has '{primary.Description}'");
            // A key still Creating, Updating or PendingImport is not yet what it will be: its state is no drift.
            if (primary.Enabled != replica.Enabled && !IsTransitional(primary.State) && !IsTransitional(replica.State))
                Add(DriftProperty.Enabled, replica.Enabled ? "enabled, primary is disabled" : "disabled, primary is enabled");
        }
        return items is null ? KeySetDrift.None : new KeySetDrift(items);
    }

    /// <summary>States a key passes through on its own (a new replica, a primary Region change, material awaited).</summary>
    public static bool IsTransitional(string state) => state is "Creating" or "Updating" or "PendingImport";

    /// <summary>Equal as JSON (whitespace and formatting aside); falls back to text when either is not JSON.</summary>
    public static bool PoliciesEqual(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return true;
        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
