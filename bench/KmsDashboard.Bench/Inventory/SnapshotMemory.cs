using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Bench.Inventory;

/// <summary>The managed memory an inventory snapshot of N keys holds (the shared snapshot plus the key map's rows).</summary>
internal static class SnapshotMemory
{
    public static (double Megabytes, int Keys) Measure(int keys)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var snapshot = SyntheticEstate.Snapshot(keys);
        var rows = KmsDashboard.Web.Features.Inventory.KeyMapRow.From(snapshot);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(snapshot);
        GC.KeepAlive(rows);
        return ((after - before) / 1024.0 / 1024.0, snapshot.KeyCount);
    }
}
