using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>One account's line on the Overview: its keys, key sets, rotation coverage, drift, and how its read went.</summary>
public sealed record AccountFigures(AccountReadStatus Status, int CustomerKeys, int KeySets, int Replicas, int SingleRegionKeys,
    int RotatingKeys, int RotatableKeys, int DriftedKeySets)
{
    public double RotationCoverage => RotatableKeys == 0 ? 0 : 100.0 * RotatingKeys / RotatableKeys;

    public static IReadOnlyList<AccountFigures> For(InventorySnapshot snapshot)
    {
        if (!snapshot.MultiAccount) return [];
        var customer = snapshot.CustomerKeys.ToLookup(k => k.Account, StringComparer.Ordinal);
        var sets = snapshot.KeySets.ToLookup(s => s.Account, StringComparer.Ordinal);
        var singles = snapshot.SingleRegionKeys.ToLookup(k => k.Account, StringComparer.Ordinal);
        return [.. snapshot.Accounts.Select(a =>
        {
            var rotatable = sets[a.Id].Select(s => s.Primary).OfType<RegionalKey>().Concat(singles[a.Id])
                .Where(k => k.Rotation.Applies && !k.IsPendingDeletion).ToList();
            return new AccountFigures(a, customer[a.Id].Count(), sets[a.Id].Count(), customer[a.Id].Count(k => k.Role == MultiRegionRole.Replica),
                singles[a.Id].Count(), rotatable.Count(k => k.Rotation.Enabled), rotatable.Count, sets[a.Id].Count(s => s.Drift.HasDrift));
        })];
    }
}
