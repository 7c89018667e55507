using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// Resolves a key id, key ARN, alias name or alias ARN to every related key ARN, per Region, from the inventory:
/// an alias names a (possibly different) key in each Region, and each of those brings its whole key set. With several
/// accounts, each key brings its key set in its own account (a key set never spans accounts); <paramref name="account"/>
/// keeps one account's keys only.
/// </summary>
internal static class AuditKeyResolver
{
    public static (Dictionary<(string Account, string Region), SortedSet<string>> ArnsByRegion, List<string> Notes) Resolve(
        InventorySnapshot snapshot, string value, string? account = null)
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
                found.AddRange(snapshot.FindById(parts[5][4..], snapshot.MultiAccount ? parts[4] : null));
            }
            else if (parts.Length == 6 && parts[2] == "kms" && parts[5].StartsWith("alias/", StringComparison.Ordinal))
            {
                found.AddRange((snapshot.KeysByRegion.GetValueOrDefault(parts[3]) ?? []).Where(k => k.Aliases.Contains(parts[5]) && (!snapshot.MultiAccount || k.Account == parts[4])));
            }
        }
        else if (text.StartsWith("alias/", StringComparison.Ordinal))
        {
            found.AddRange(snapshot.AllKeys.Where(k => k.Aliases.Contains(text)));
        }
        else
        {
            // Every account's key with this id (each brings its own key set below).
            found.AddRange(snapshot.AllKeys.Where(k => string.Equals(k.KeyId, text, StringComparison.Ordinal)));
            if (found.Count == 0) found.AddRange(snapshot.AllKeys.Where(k => k.Aliases.Contains("alias/" + text)));
        }

        if (!string.IsNullOrEmpty(account)) found.RemoveAll(k => k.Account != account);
        var byRegion = new Dictionary<(string, string), SortedSet<string>>();
        void Add(string keyAccount, string region, string arn)
        {
            if (!byRegion.TryGetValue((keyAccount, region), out var set)) byRegion[(keyAccount, region)] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(arn);
        }
        foreach (var key in found)
            foreach (var related in snapshot.FindById(key.KeyId, key.Account))
                Add(related.Account, related.Region, related.Arn);
        var arnAccount = explicitArn?.Split(':')[4] ?? "";
        if (explicitArn is not null && byRegion.Count == 0 && (string.IsNullOrEmpty(account) || account == arnAccount))
        {
            // The ARN names its account; the single-account set-up reads its one account ("").
            Add(snapshot.MultiAccount ? arnAccount : "", explicitArn.Split(':')[3], explicitArn);
            notes.Add($"{explicitArn} is not in the inventory (deleted, or in a Region not read); looking it up as given.");
        }
        var distinctKeys = found.Select(k => k.KeyId).Distinct(StringComparer.Ordinal).Count();
        if (distinctKeys > 1)
            notes.Add($"'{text}' names {distinctKeys} different keys across Regions; events of all of them (and their related keys) are shown.");
        return (byRegion, notes);
    }
}
