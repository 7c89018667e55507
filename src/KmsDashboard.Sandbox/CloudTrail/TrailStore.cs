using System.Collections.Concurrent;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>
/// The events recorded from calls the sandbox served, per Region, oldest first. Bounded: events older than
/// CloudTrail's 90 days are dropped, and so are the oldest beyond <see cref="MaxEventsPerRegion"/>.
/// </summary>
internal sealed class TrailStore
{
    public const int MaxEventsPerRegion = 250_000;
    private static readonly Comparison<TrailEvent> OldestFirst = (a, b) => TrailEvent.CompareNewestFirst(b, a);
    private readonly ConcurrentDictionary<string, RegionEvents> _regions = new(StringComparer.Ordinal);

    public void Add(TrailEvent e)
    {
        var region = _regions.GetOrAdd(e.Region, _ => new RegionEvents());
        lock (region.Gate)
        {
            var list = region.Events;
            // Calls arrive in time order almost always; a binary search keeps the order when they do not.
            if (list.Count == 0 || OldestFirst(list[^1], e) <= 0) list.Add(e);
            else
            {
                var index = list.BinarySearch(e, Comparer<TrailEvent>.Create(OldestFirst));
                list.Insert(index < 0 ? ~index : index, e);
            }
            var horizon = e.Time - CloudTrailLimits.Retention;
            var drop = 0;
            while (drop < list.Count && (list[drop].Time < horizon || list.Count - drop > MaxEventsPerRegion)) drop++;
            if (drop > 0) list.RemoveRange(0, drop);
        }
    }

    /// <summary>The recorded events of a Region with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>, oldest first.</summary>
    public List<TrailEvent> Range(string region, DateTimeOffset from, DateTimeOffset to)
    {
        if (!_regions.TryGetValue(region, out var events)) return [];
        lock (events.Gate)
        {
            var list = events.Events;
            var start = LowerBound(list, from);
            var end = LowerBound(list, to);
            return end > start ? list.GetRange(start, end - start) : [];
        }
    }

    public int Count(string region)
    {
        if (!_regions.TryGetValue(region, out var events)) return 0;
        lock (events.Gate) return events.Events.Count;
    }

    public void Clear() => _regions.Clear();

    private static int LowerBound(List<TrailEvent> list, DateTimeOffset time)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid].Time < time) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private sealed class RegionEvents
    {
        public readonly Lock Gate = new();
        public readonly List<TrailEvent> Events = [];
    }
}
