using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// Resolves a key id, key ARN, alias name or alias ARN to every related key ARN, per Region, from the inventory:
/// an alias names a (possibly different) key in each Region, and each of those brings its whole key set.
/// </summary>
internal static class AuditKeyResolver
{
    public static (Dictionary<string, SortedSet<string>> ArnsByRegion, List<string> Notes) Resolve(InventorySnapshot snapshot, string value)
    {
        var text = value.Trim();
        var notes = new List<string>();
        var found = new List<RegionalKey>();
        string? explicitArn = null;
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = text.Split(':', 6);
            if (parts.Length == 6 && parts[2] == "kms" && parts[5].StartsWith("key/", StringComparison.Ordinal))
            {
                explicitArn = text;
                found.AddRange(snapshot.FindById(parts[5][4..]));
            }
            else if (parts.Length == 6 && parts[2] == "kms" && parts[5].StartsWith("alias/", StringComparison.Ordinal))
            {
                found.AddRange((snapshot.KeysByRegion.GetValueOrDefault(parts[3]) ?? []).Where(k => k.Aliases.Contains(parts[5])));
            }
        }
        else if (text.StartsWith("alias/", StringComparison.Ordinal))
        {
            found.AddRange(snapshot.AllKeys.Where(k => k.Aliases.Contains(text)));
        }
        else
        {
            found.AddRange(snapshot.FindById(text));
            if (found.Count == 0) found.AddRange(snapshot.AllKeys.Where(k => k.Aliases.Contains("alias/" + text)));
        }

        var byRegion = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Add(string region, string arn)
        {
            if (!byRegion.TryGetValue(region, out var set)) byRegion[region] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(arn);
        }
        foreach (var key in found)
            foreach (var related in snapshot.FindById(key.KeyId))
                Add(related.Region, related.Arn);
        if (explicitArn is not null && byRegion.Count == 0)
        {
            Add(explicitArn.Split(':')[3], explicitArn);
            notes.Add($"{explicitArn} is not in the inventory (deleted, or in a Region not read); looking it up as given.");
        }
        var distinctKeys = found.Select(k => k.KeyId).Distinct(StringComparer.Ordinal).Count();
        if (distinctKeys > 1)
            notes.Add($"'{text}' names {distinctKeys} different keys across Regions; events of all of them (and their related keys) are shown.");
        return (byRegion, notes);
    }
}
