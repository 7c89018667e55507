namespace KmsDashboard.Web.Features.Inventory;

/// <summary>Which keys the rotation filter keeps.</summary>
public enum RotationFilter
{
    Any,
    Enabled,
    Disabled,
    NotApplicable,
}
