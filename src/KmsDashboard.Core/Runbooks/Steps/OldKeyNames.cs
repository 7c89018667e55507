namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// The names the old key set goes by in S3 configuration: its key id, its ARNs, and the aliases that pointed at it (the
/// moved ones and any left behind), by name or alias ARN, per Region.
/// </summary>
internal sealed class OldKeyNames(KeySetRunbookState state, IReadOnlyCollection<AliasMove> currentAliases)
{
    /// <summary>How a reference names the old key: not at all, by id or ARN (will not follow the alias), or by an alias.</summary>
    public enum Kind { None, Direct, MovedAlias, OtherAlias }

    public Kind Classify(string? reference, string region)
    {
        if (string.IsNullOrWhiteSpace(reference)) return Kind.None;
        var text = reference.Trim();
        if (text == state.OldKeyId || state.OldArns.Values.Contains(text, StringComparer.Ordinal)) return Kind.Direct;
        var aliasRegion = region;
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = text.Split(':', 6);
            if (parts.Length != 6 || parts[2] != "kms" || !parts[5].StartsWith("alias/", StringComparison.Ordinal)) return Kind.None;
            aliasRegion = parts[3];
            text = parts[5];
        }
        if (!text.StartsWith("alias/", StringComparison.Ordinal)) return Kind.None;
        if (state.Aliases.Contains(new AliasMove(aliasRegion, text))) return Kind.MovedAlias;
        return currentAliases.Contains(new AliasMove(aliasRegion, text)) ? Kind.OtherAlias : Kind.None;
    }

    /// <summary>The Region a key reference lives in: an ARN's own, else <paramref name="fallback"/>.</summary>
    public static string RegionOf(string reference, string fallback)
    {
        var parts = reference.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" ? parts[3] : fallback;
    }

    public bool IsOldArn(string? arn) => arn is not null && state.OldArns.Values.Contains(arn, StringComparer.Ordinal);
}
