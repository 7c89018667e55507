using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Dependents;

/// <summary>
/// Resolves a key id, key ARN, alias name or alias ARN written in some configuration to the key it names, through the
/// inventory snapshot: aliases and bare ids are read in the Region and <paramref name="account"/> the configuration lives
/// in, ARNs name their own (with several accounts, their own account too: a bucket may name another account's key).
/// </summary>
public static class KeyNameResolver
{
    public static KeyNameMatch? Resolve(InventorySnapshot snapshot, string? reference, string contextRegion, string account = "")
    {
        if (string.IsNullOrWhiteSpace(reference)) return null;
        var text = reference.Trim();
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = text.Split(':', 6);
            if (parts.Length != 6 || parts[2] != "kms") return null;
            var region = parts[3];
            var owner = snapshot.MultiAccount ? parts[4] : account;
            if (parts[5].StartsWith("key/", StringComparison.Ordinal)) return new KeyNameMatch(parts[5][4..], region, KeyNameKind.KeyArn, owner);
            if (parts[5].StartsWith("alias/", StringComparison.Ordinal))
                return ByAlias(snapshot, parts[5], region, owner) is { } aliased ? new KeyNameMatch(aliased, region, KeyNameKind.AliasArn, owner) : null;
            return null;
        }
        if (text.StartsWith("alias/", StringComparison.Ordinal))
            return ByAlias(snapshot, text, contextRegion, account) is { } target ? new KeyNameMatch(target, contextRegion, KeyNameKind.AliasName, account) : null;
        return new KeyNameMatch(text, contextRegion, KeyNameKind.KeyId, account);
    }

    private static string? ByAlias(InventorySnapshot snapshot, string alias, string region, string account) =>
        (snapshot.KeysByRegion.GetValueOrDefault(region) ?? [])
            .FirstOrDefault(k => string.Equals(k.Account, account, StringComparison.Ordinal) && k.Aliases.Contains(alias, StringComparer.Ordinal))?.KeyId;
}
