using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// How an on-demand rotation went: the guarded RotateKeyOnDemand (journaled), the new history entry once it appeared,
/// and the round trips in every Region of the set.
/// </summary>
public sealed record OnDemandRotationResult(
    ActionResult Rotation,
    string? OldKeyMaterialId,
    string? NewKeyMaterialId,
    KeyRotationEntry? NewEntry,
    OnDemandRotationStatus? After,
    IReadOnlyList<RegionRoundTrip> Regions,
    string Summary)
{
    /// <summary>Rotated, the new entry is in the history, and every Region passed both checks.</summary>
    public bool Verified => Rotation.Succeeded && NewEntry is not null && Regions.Count > 0 && Regions.All(r => r.Verified);
}
