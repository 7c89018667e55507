namespace KmsDashboard.Core.Inventory;

/// <summary>Where the replicas of a key set differ from the primary.</summary>
public sealed record KeySetDrift(IReadOnlyList<DriftItem> Items)
{
    public static readonly KeySetDrift None = new([]);

    public bool HasDrift => Items.Count > 0;

    public bool Differs(string region, DriftProperty property) =>
        Items.Any(i => i.Property == property && string.Equals(i.Region, region, StringComparison.Ordinal));

    public bool Differs(string region) => Items.Any(i => string.Equals(i.Region, region, StringComparison.Ordinal));

    public IEnumerable<DriftProperty> Properties => Items.Select(i => i.Property).Distinct().Order();
}
