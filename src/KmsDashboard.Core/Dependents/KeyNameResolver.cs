using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Resolves a key id, key ARN, alias name or alias ARN written in some configuration to the key it names, through the
/// inventory snapshot: aliases and bare ids are read in the Region the configuration lives in, ARNs name their own.
/// </summary>
public static class KeyNameResolver
{
    public static KeyNameMatch? Resolve(InventorySnapshot snapshot, string? reference, string contextRegion)
    {
        if (string.IsNullOrWhiteSpace(reference)) return null;
        var text = reference.Trim();
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = text.Split(':', 6);
            if (parts.Length != 6 || parts[2] != "kms") return null;
            var region = parts[3];
            if (parts[5].StartsWith("key/", StringComparison.Ordinal)) return new KeyNameMatch(parts[5][4..], region, KeyNameKind.KeyArn);
            if (parts[5].StartsWith("alias/", StringComparison.Ordinal))
                return ByAlias(snapshot, parts[5], region) is { } aliased ? new KeyNameMatch(aliased, region, KeyNameKind.AliasArn) : null;
            return null;
        }
        if (text.StartsWith("alias/", StringComparison.Ordinal))
            return ByAlias(snapshot, text, contextRegion) is { } target ? new KeyNameMatch(target, contextRegion, KeyNameKind.AliasName) : null;
        return new KeyNameMatch(text, contextRegion, KeyNameKind.KeyId);
    }

    private static string? ByAlias(InventorySnapshot snapshot, string alias, string region) =>
        (snapshot.KeysByRegion.GetValueOrDefault(region) ?? []).FirstOrDefault(k => k.Aliases.Contains(alias, StringComparer.Ordinal))?.KeyId;
}
