using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>
/// What the key detail page hands each panel: the key id, its members in every Region (primary first), the key set
/// when it is multi-Region, and the Region the user picked.
/// </summary>
public sealed record KeyDetailContext(string KeyId, IReadOnlyList<RegionalKey> Members, KeySet? KeySet, string SelectedRegion, InventorySnapshot Snapshot)
{
    public RegionalKey Selected => Members.FirstOrDefault(m => m.Region == SelectedRegion) ?? Members[0];
    public RegionalKey? Primary => KeySet?.Primary ?? (Members.Count == 1 ? Members[0] : null);
    public bool IsMultiRegion => KeySet is not null;
    public bool AwsManaged => Members.Any(m => m.AwsManaged);
}
