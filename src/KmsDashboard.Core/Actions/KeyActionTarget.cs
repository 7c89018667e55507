using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// The key an action is offered for, as the inventory shows it: the key in the chosen Region, every Region's key of its
/// set, and the Regions the dashboard may address.
/// </summary>
public sealed record KeyActionTarget(RegionalKey Key, IReadOnlyList<RegionalKey> Members, IReadOnlyList<string> ConfiguredRegions)
{
    /// <summary>The key set's primary (the key itself when it is single-Region or its primary is not in view).</summary>
    public RegionalKey Primary => Members.FirstOrDefault(m => m.Role == MultiRegionRole.Primary) ?? Key;

    public bool IsMultiRegion => Key.IsMultiRegion;

    /// <summary>The Regions holding a replica of the set.</summary>
    public IReadOnlyList<string> ReplicaRegions => Primary.ReplicaRegions.Count > 0
        ? Primary.ReplicaRegions
        : [.. Members.Where(m => m.Role == MultiRegionRole.Replica).Select(m => m.Region)];

    /// <summary>How many replicas of the set the inventory shows.</summary>
    public int ReplicaCount => Members.Count(m => m.Role == MultiRegionRole.Replica);

    /// <summary>Configured Regions holding no key of the set yet.</summary>
    public IReadOnlyList<string> FreeRegions => [.. ConfiguredRegions.Where(r => r != Primary.Region && !ReplicaRegions.Contains(r))];

    /// <summary>Tags as the dialog edits them: one <c>key=value</c> a line, ordered by key.</summary>
    public static string TagLines(IReadOnlyDictionary<string, string> tags) =>
        string.Join("\n", tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
}
