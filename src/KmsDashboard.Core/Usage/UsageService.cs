using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Usage;

/// <summary>
/// Usage of the estate from CloudWatch: every configured Region read in parallel (one failing never hides the others),
/// aggregated on the server into stacked charts of at most <see cref="UsageRange.MaxPoints"/> points per series.
/// </summary>
public sealed class UsageService(AwsClients clients, KeyInventory inventory, UsageReader reader, TimeProvider time)
{
    /// <summary>The top keys chart shows this many keys, the rest summed as "Other keys".</summary>
    public const int TopKeyCount = 8;

    private const int RegionConcurrency = 6;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<UsageOverview> LoadOverviewAsync(UsageRange range, IProgress<UsageLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var regions = await ReadRegionsAsync(clients.Regions, range, region => null, onlyKnown: false, progress, cancellationToken);
        var timeline = range.Timeline();
        var all = regions.SelectMany(r => r.Series).ToList();
        var byRegion = Chart("Requests by Region", timeline, regions.Select(r => (r.Region, r.Series.AsEnumerable())));
        var byOperation = Chart("Requests by operation", timeline, all.GroupBy(s => s.Operation).Select(g => (g.Key, g.AsEnumerable())));
        var byKey = all.GroupBy(s => s.KeyId).Select(g => (Name: NameOf(g.Key), Series: g.AsEnumerable(), Total: g.Sum(s => s.Values.Sum())))
            .OrderByDescending(k => k.Total).ToList();
        var top = byKey.Take(TopKeyCount).Select(k => (k.Name, k.Series)).ToList();
        if (byKey.Count > TopKeyCount) top.Add(("Other keys", byKey.Skip(TopKeyCount).SelectMany(k => k.Series)));
        var topKeys = Chart($"Top {Math.Min(TopKeyCount, byKey.Count)} keys", timeline, top);
        return new UsageOverview(range, byRegion, byOperation, topKeys, regions, time.GetUtcNow());
    }

    /// <summary>A key set's usage: a series per Region for <paramref name="range"/>, and its last use per Region over 90 days.</summary>
    public async Task<KeyUsage> LoadKeyUsageAsync(string keyId, UsageRange range, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(keyId)) throw new ArgumentException("The key id is empty.", nameof(keyId));
        var members = inventory.Current.FindById(keyId);
        var arns = members.ToDictionary(m => m.Region, m => m.Arn, StringComparer.Ordinal);
        var regions = members.Select(m => m.Region).ToList();
        var timeline = range.Timeline();
        var read = await ReadRegionsAsync(regions, range, r => [arns[r]], onlyKnown: true, null, cancellationToken);
        var byRegion = Chart("Requests by Region", timeline, read.Select(r => (r.Region, r.Series.AsEnumerable())));
        var byOperation = Chart("Requests by operation", timeline, read.SelectMany(r => r.Series).GroupBy(s => s.Operation).Select(g => (g.Key, g.AsEnumerable())));

        var now = time.GetUtcNow();
        var ninety = new UsageRange(UsageRangeKind.Last90Days, Hour(now.AddDays(-90)), now, 3600);
        var history = range.Kind == UsageRangeKind.Last90Days && range.PeriodSeconds <= 3600 ? read
            : await ReadRegionsAsync(regions, ninety, r => [arns[r]], onlyKnown: true, null, cancellationToken);
        var source = ReferenceEquals(history, read) ? range : ninety;
        var lastUse = history.Select(r => new RegionLastUse(r.Region, LastNonZero(r.Series, source), r.Error)).ToList();
        return new KeyUsage(keyId, byRegion, byOperation, lastUse, read);
    }

    internal async Task<IReadOnlyList<RegionUsage>> ReadRegionsAsync(
        IReadOnlyList<string> regions, UsageRange range, Func<string, IReadOnlyCollection<string>?> knownArns, bool onlyKnown,
        IProgress<UsageLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var done = 0;
        progress?.Report(new UsageLoadProgress(0, regions.Count));
        using var gate = new SemaphoreSlim(RegionConcurrency);
        var tasks = regions.Select(async region =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await reader.ReadRegionAsync(region, range, knownArns(region), onlyKnown, cancellationToken);
            }
            finally
            {
                gate.Release();
                progress?.Report(new UsageLoadProgress(Interlocked.Increment(ref done), regions.Count));
            }
        });
        return await Task.WhenAll(tasks);
    }

    private string NameOf(string keyId)
    {
        var members = inventory.Current.FindById(keyId);
        if (members.Count == 0) return keyId;
        // Single-Region keys (AWS managed ones above all) share names across Regions: say which.
        return members.Count == 1 && !members[0].IsMultiRegion ? $"{members[0].DisplayName} ({members[0].Region})" : members[0].DisplayName;
    }

    private static DateTimeOffset Hour(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset? LastNonZero(IEnumerable<KeyMetricSeries> series, UsageRange range)
    {
        var last = -1;
        foreach (var s in series)
            for (var i = s.Values.Length - 1; i > last; i--)
                if (s.Values[i] > 0) { last = i; break; }
        return last < 0 ? null : range.Start.AddSeconds((double)last * range.PeriodSeconds);
    }

    internal static UsageChart Chart(string title, IReadOnlyList<DateTimeOffset> timeline, IEnumerable<(string Name, IEnumerable<KeyMetricSeries> Parts)> groups)
    {
        var series = groups.Select(g =>
        {
            var values = new double[timeline.Count];
            foreach (var part in g.Parts)
                for (var i = 0; i < values.Length && i < part.Values.Length; i++) values[i] += part.Values[i];
            return new UsageSeries(g.Name, values);
        })
        .OrderByDescending(s => s.Name == "Other keys" ? -1 : s.Total).ToList();
        return new UsageChart(title, timeline, series);
    }
}
