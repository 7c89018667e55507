using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Drops recorded events and rate counts, re-plans the seeded history on the freshly seeded keys and restores the seeded trails.</summary>
internal sealed class CloudTrailReset(TrailStore store, CloudTrailRateMeter meter, SeededHistory history, TrailCatalog trails) : ISandboxResettable
{
    public void Reset()
    {
        store.Clear();
        meter.Reset();
        history.Reset();
        history.EnsurePlanned();
        trails.Reset();
    }
}
