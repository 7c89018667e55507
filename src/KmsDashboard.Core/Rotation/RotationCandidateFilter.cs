namespace KmsDashboard.Core.Rotation;

/// <summary>
/// Which key sets the automatic-rotation wizard lists. The two rotation criteria widen each other (off, or on with a
/// period longer than N days); tag and Region narrow. Nothing set: every key set.
/// </summary>
public sealed record RotationCandidateFilter
{
    /// <summary>Key sets whose rotation does not run (off, or not available for the key).</summary>
    public bool RotationOff { get; init; }

    /// <summary>Key sets rotating less often than every N days.</summary>
    public int? PeriodLongerThanDays { get; init; }

    /// <summary><c>key</c> or <c>key=value</c>, matched against the primary's tags (case-insensitive).</summary>
    public string Tag { get; init; } = "";

    /// <summary>Key sets with a key (primary or replica) in this Region.</summary>
    public string Region { get; init; } = "";

    /// <summary>Multi-Region key sets only (no single-Region keys).</summary>
    public bool MultiRegionOnly { get; init; }

    /// <summary>Key sets of this account (empty: every account).</summary>
    public string Account { get; init; } = "";

    public bool Matches(RotationCandidate candidate)
    {
        if (MultiRegionOnly && !candidate.IsMultiRegion) return false;
        if (Account.Length > 0 && candidate.Account != Account) return false;
        if (RotationOff || PeriodLongerThanDays is not null)
        {
            var off = RotationOff && !candidate.Rotation.Enabled;
            var longer = PeriodLongerThanDays is { } n && candidate.Rotation is { Enabled: true, PeriodInDays: { } p } && p > n;
            if (!off && !longer) return false;
        }
        if (Region.Length > 0 && !candidate.Regions.Contains(Region, StringComparer.Ordinal)) return false;
        return Tag.Trim().Length == 0 || MatchesTag(candidate.Tags, Tag.Trim());
    }

    public IReadOnlyList<RotationCandidate> Apply(IEnumerable<RotationCandidate> candidates) => [.. candidates.Where(Matches)];

    private static bool MatchesTag(IReadOnlyDictionary<string, string> tags, string tag)
    {
        var equals = tag.IndexOf('=', StringComparison.Ordinal);
        var (key, value) = equals < 0 ? (tag, null) : (tag[..equals].Trim(), tag[(equals + 1)..].Trim());
        return tags.Any(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)
                             && (value is null || string.Equals(t.Value, value, StringComparison.OrdinalIgnoreCase)));
    }
}
