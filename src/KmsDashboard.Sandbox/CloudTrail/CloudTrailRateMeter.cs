using System.Collections.Concurrent;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// Counts LookupEvents requests per Region per wall-clock second and refuses the third within a second, as
/// CloudTrail does. Tests read <see cref="MaxPerSecond"/> to check that a client never asked more than twice a second.
/// </summary>
public sealed class CloudTrailRateMeter(TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, RegionMeter> _regions = new(StringComparer.Ordinal);

    /// <summary>Counts a request; false when it is over the Region's two per second and must be throttled.</summary>
    public bool TryAcquire(string region)
    {
        var meter = _regions.GetOrAdd(region, _ => new RegionMeter());
        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (meter)
        {
            if (meter.Second != second)
            {
                meter.Second = second;
                meter.InSecond = 0;
            }
            meter.InSecond++;
            meter.Total++;
            meter.Max = Math.Max(meter.Max, meter.InSecond);
            if (meter.InSecond <= CloudTrailLimits.RequestsPerSecond) return true;
            meter.Throttled++;
            return false;
        }
    }

    /// <summary>The most requests (accepted or not) seen in any one second in <paramref name="region"/>.</summary>
    public int MaxPerSecond(string region) => _regions.TryGetValue(region, out var m) ? Read(m, x => x.Max) : 0;

    public int Throttled(string region) => _regions.TryGetValue(region, out var m) ? Read(m, x => x.Throttled) : 0;

    public int Total(string region) => _regions.TryGetValue(region, out var m) ? Read(m, x => x.Total) : 0;

    public IReadOnlyCollection<string> Regions => [.. _regions.Keys];

    public void Reset() => _regions.Clear();

    private static int Read(RegionMeter meter, Func<RegionMeter, int> read)
    {
        lock (meter) return read(meter);
    }

    private sealed class RegionMeter
    {
        public long Second = long.MinValue;
        public int InSecond;
        public int Max;
        public int Total;
        public int Throttled;
    }
}
