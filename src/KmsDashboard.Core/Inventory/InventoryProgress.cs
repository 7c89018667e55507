namespace KmsDashboard.Core.Inventory;

/// <summary>How far the running refresh has come, for a progress bar.</summary>
public sealed record InventoryProgress(bool Running, int RegionsDone, int RegionsTotal, int KeysListed, int KeysRead, DateTimeOffset? StartedAt)
{
    public static readonly InventoryProgress Idle = new(false, 0, 0, 0, 0, null);

    /// <summary>The Regions this refresh is still reading, each with when its read began (the others are already published).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Loading { get; init; } = new Dictionary<string, DateTimeOffset>();

    /// <summary>0–100: Regions count half, keys read the other half.</summary>
    public double Percent => RegionsTotal == 0 ? 0
        : 50.0 * RegionsDone / RegionsTotal + (KeysListed == 0 ? 0 : 50.0 * Math.Min(KeysRead, KeysListed) / KeysListed);
}
