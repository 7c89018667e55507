using KmsDashboard.Sandbox.Kms.Demo;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// Bulk, synthetic keys written straight into the sandbox's store (no calls, no quotas, no events): for benchmarks
/// and load runs that need thousands of keys faster than CreateKey's 5 requests per second allow.
/// </summary>
public sealed class KmsSandboxSeeder
{
    private readonly KmsStore _store;

    internal KmsSandboxSeeder(KmsStore store) => _store = store;

    /// <summary>
    /// Adds <paramref name="keysPerRegion"/> customer managed symmetric keys created in each Region, a
    /// <paramref name="multiRegionShare"/> of them multi-Region primaries replicated to 2–4 of the other Regions, each
    /// with an alias <c>alias/synthetic-&lt;n&gt;</c> in its Region. Deterministic for a given seed. Returns the
    /// number of Regional keys added (primaries, single-Region keys and replicas).
    /// </summary>
    public int AddSyntheticKeys(IReadOnlyList<string> regions, int keysPerRegion, double multiRegionShare = 0.5, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keysPerRegion);
        ArgumentOutOfRangeException.ThrowIfLessThan(multiRegionShare, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(multiRegionShare, 1.0);
        var random = new Random(seed);
        var added = 0;
        lock (_store.Gate)
        {
            var demo = new DemoBuilder(_store, _store.Clock.UtcNow, random);
            var serial = _store.AllKeys.Count();
            foreach (var region in regions)
            {
                for (var i = 0; i < keysPerRegion; i++)
                {
                    var multiRegion = regions.Count > 1 && random.NextDouble() < multiRegionShare;
                    var key = demo.Key(region, random.Next(1, 365), $"Synthetic key {++serial}", multiRegion);
                    demo.Alias(key, $"alias/synthetic-{serial}", (int)(_store.Clock.UtcNow - key.CreationDate).TotalDays);
                    added++;
                    if (!multiRegion) continue;
                    var others = regions.Where(r => r != region).OrderBy(_ => random.Next()).Take(random.Next(2, 5)).ToList();
                    foreach (var other in others)
                    {
                        demo.Replica(key, other, random.Next(0, (int)(_store.Clock.UtcNow - key.CreationDate).TotalDays + 1));
                        added++;
                    }
                }
            }
        }
        return added;
    }
}
