namespace KmsDashboard.Web.Features.Inventory;

public enum PolicyDiffKind
{
    Same,
    /// <summary>In the primary's policy, not in this Region's.</summary>
    Removed,
    /// <summary>In this Region's policy, not in the primary's.</summary>
    Added,
}
