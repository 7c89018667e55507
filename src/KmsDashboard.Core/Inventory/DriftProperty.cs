namespace KmsDashboard.Core.Inventory;

/// <summary>The independent properties of related multi-Region keys, which AWS does not synchronise.</summary>
public enum DriftProperty
{
    Aliases,
    Tags,
    Description,
    Policy,
    Enabled,
}
