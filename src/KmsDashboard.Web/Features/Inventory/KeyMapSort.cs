namespace KmsDashboard.Web.Features.Inventory;

/// <summary>The key map's sort columns.</summary>
public enum KeyMapSort
{
    Name,
    KeyId,
    Regions,
    State,
    Drift,
}
