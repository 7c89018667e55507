using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>The Overview's numbers, computed once per snapshot.</summary>
public sealed class OverviewFigures
{
    public OverviewFigures(InventorySnapshot snapshot)
    {
        var customer = snapshot.CustomerKeys.ToList();
        CustomerKeys = customer.Count;
        KeySets = snapshot.KeySets.Count;
        Replicas = customer.Count(k => k.Role == MultiRegionRole.Replica);
        SingleRegionKeys = snapshot.SingleRegionKeys.Count;
        AwsManagedKeys = snapshot.AwsManagedKeys.Count;
        Regions = snapshot.Regions.Count;
        HealthyRegions = snapshot.Regions.Count(r => snapshot.StatusOf(r).Healthy);
        // Rotation is shared by a key set, so each set counts once (by its primary), next to each single-Region key.
        var rotatable = snapshot.KeySets.Select(s => s.Primary).OfType<RegionalKey>().Concat(snapshot.SingleRegionKeys)
            .Where(k => k.Rotation.Applies && !k.IsPendingDeletion).ToList();
        RotatableKeys = rotatable.Count;
        RotatingKeys = rotatable.Count(k => k.Rotation.Enabled);
        PendingDeletion = [.. customer.Where(k => k.State == "PendingDeletion").OrderBy(k => k.DeletionDate)];
        StuckPrimaries = [.. customer.Where(k => k.State == "PendingReplicaDeletion").OrderBy(k => k.DisplayName, StringComparer.OrdinalIgnoreCase)];
        DriftedKeySets = [.. snapshot.KeySets.Where(s => s.Drift.HasDrift)];
        Accounts = AccountFigures.For(snapshot);
        Arcs = [.. snapshot.KeySets
            .SelectMany(s => s.Members.Keys.Where(r => r != s.PrimaryRegion).Select(r => (From: s.PrimaryRegion, To: r)))
            .GroupBy(a => a)
            .Select(g => new ReplicationArc(g.Key.From, g.Key.To, g.Count()))
            .OrderBy(a => a.From, StringComparer.Ordinal).ThenBy(a => a.To, StringComparer.Ordinal)];
    }

    public int CustomerKeys { get; }
    public int KeySets { get; }
    public int Replicas { get; }
    public int SingleRegionKeys { get; }
    public int AwsManagedKeys { get; }
    public int Regions { get; }
    public int HealthyRegions { get; }
    public int RotatableKeys { get; }
    public int RotatingKeys { get; }
    public double RotationCoverage => RotatableKeys == 0 ? 0 : 100.0 * RotatingKeys / RotatableKeys;
    public IReadOnlyList<RegionalKey> PendingDeletion { get; }
    /// <summary>Primaries in PendingReplicaDeletion: their deletion waits until every replica is gone.</summary>
    public IReadOnlyList<RegionalKey> StuckPrimaries { get; }
    public IReadOnlyList<KeySet> DriftedKeySets { get; }
    /// <summary>Each account's figures (several accounts only; empty for one).</summary>
    public IReadOnlyList<AccountFigures> Accounts { get; }
    /// <summary>Primary Region → replica Region, with how many key sets replicate that way.</summary>
    public IReadOnlyList<ReplicationArc> Arcs { get; }
}
