namespace KmsDashboard.Web.Features.Inventory;

/// <summary>Multi-Region key sets, single-Region keys, or both.</summary>
public enum KeyKindFilter
{
    All,
    MultiRegion,
    SingleRegion,
}
