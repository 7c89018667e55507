namespace KmsDashboard.Core.Audit;

/// <summary>
/// Events per time bucket over the query's window, stacked by event name or by user: the Audit page's activity chart.
/// Buckets are hours, widened to 2, 3, 6, 12 or 24 hours so a long window stays under <c>maxBuckets</c> bars; the
/// largest series are named and the rest summed as "Other".
/// </summary>
public sealed record AuditActivity(AuditActivityGrouping By, DateTimeOffset Start, TimeSpan Bucket, IReadOnlyList<DateTimeOffset> Buckets, IReadOnlyList<AuditActivitySeries> Series)
{
    private static readonly int[] BucketHours = [1, 2, 3, 6, 12, 24];

    public int Total => Series.Sum(s => s.Total);

    /// <summary>"hour", "3 hours", "day".</summary>
    public string BucketName => Bucket.TotalHours switch { 1 => "hour", 24 => "day", var h => $"{h:0} hours" };

    /// <summary>
    /// What a series is keyed on: the event name (the same operation in every account), or the user as the table shows it
    /// and, when the dashboard reads several accounts, the account's name — alice in one account is not alice in another.
    /// </summary>
    public static string Key(AuditEvent e, AuditActivityGrouping by) => by switch
    {
        AuditActivityGrouping.User when e.Account.Length > 0 =>
            $"{(e.Actor.Length == 0 ? "(none)" : e.Actor)} · {(e.AccountName.Length > 0 ? e.AccountName : e.Account)}",
        AuditActivityGrouping.User => e.Actor,
        _ => e.EventName,
    };

    public static AuditActivity Build(IEnumerable<AuditEvent> events, DateTimeOffset start, DateTimeOffset end, AuditActivityGrouping by,
        int maxSeries = 8, int maxBuckets = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuckets, 1);
        var first = new DateTimeOffset(start.UtcDateTime.Date.AddHours(start.UtcDateTime.Hour), TimeSpan.Zero);
        if (end <= first) end = first.AddHours(1);
        var hours = (int)Math.Ceiling((end - first).TotalHours);
        var width = BucketHours.FirstOrDefault(h => (hours + h - 1) / h <= maxBuckets, 24);
        if (width > 1) first = new DateTimeOffset(start.UtcDateTime.Date.AddHours(start.UtcDateTime.Hour / width * width), TimeSpan.Zero);
        var bucket = TimeSpan.FromHours(width);
        var count = Math.Max(1, (int)Math.Ceiling((end - first) / bucket));
        var byKey = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var index = (int)Math.Floor((e.EventTime - first) / bucket);
            if (index < 0 || index >= count) continue;
            var key = Key(e, by);
            if (!byKey.TryGetValue(key, out var counts)) byKey[key] = counts = new int[count];
            counts[index]++;
        }
        var ordered = byKey.OrderByDescending(kv => kv.Value.Sum()).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var named = ordered.Count <= maxSeries ? ordered : ordered.Take(maxSeries - 1).ToList();
        var series = named.Select(kv => new AuditActivitySeries(kv.Key.Length == 0 ? "(none)" : kv.Key, kv.Value)).ToList();
        if (named.Count < ordered.Count)
        {
            var rest = ordered.Skip(named.Count).ToList();
            var other = new int[count];
            foreach (var (_, counts) in rest)
                for (var i = 0; i < count; i++) other[i] += counts[i];
            series.Add(new AuditActivitySeries($"Other ({rest.Count})", other, IsOther: true));
        }
        return new AuditActivity(by, first, bucket, [.. Enumerable.Range(0, count).Select(i => first + i * bucket)], series);
    }

    /// <summary>The bar of series <paramref name="seriesIndex"/> in bucket <paramref name="bucketIndex"/>, as a filter for the table.</summary>
    public AuditActivitySelection Select(int seriesIndex, int bucketIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seriesIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(seriesIndex, Series.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(bucketIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucketIndex, Buckets.Count);
        var s = Series[seriesIndex];
        var named = Series.Where(x => !x.IsOther).Select(x => x.Name == "(none)" ? "" : x.Name).ToHashSet(StringComparer.Ordinal);
        var name = s.IsOther ? s.Name : s.Name == "(none)" ? "" : s.Name;
        return new AuditActivitySelection(Buckets[bucketIndex], Buckets[bucketIndex] + Bucket, By, name, s.IsOther, named);
    }
}
