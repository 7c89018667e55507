namespace KmsDashboard.Core.Inventory;

/// <summary>A key's place in a multi-Region key set.</summary>
public enum MultiRegionRole
{
    /// <summary>A single-Region key.</summary>
    None,
    Primary,
    Replica,
}
