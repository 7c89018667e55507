namespace KmsDashboard.Web.Features.Inventory;

/// <summary>Where a registered panel appears on the key detail page.</summary>
public enum KeyDetailSlot
{
    /// <summary>Above the tabs, full width (an action bar).</summary>
    Toolbar,
    /// <summary>A tab of its own.</summary>
    Tab,
}
