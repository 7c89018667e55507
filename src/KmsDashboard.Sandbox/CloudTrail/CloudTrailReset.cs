using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Drops recorded events and rate counts, and re-plans the seeded history on the freshly seeded keys.</summary>
internal sealed class CloudTrailReset(TrailStore store, CloudTrailRateMeter meter, SeededHistory history) : ISandboxResettable
{
    public void Reset()
    {
        store.Clear();
        meter.Reset();
        history.Reset();
        history.EnsurePlanned();
    }
}
