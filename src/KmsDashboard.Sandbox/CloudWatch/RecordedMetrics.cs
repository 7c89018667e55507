using System.Collections.Concurrent;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// Metric data from the calls the sandbox served: every successful KMS call adds one request to <c>AWS/Usage CallCount</c>,
/// and each cryptographic one to <c>AWS/KMS SuccessfulRequest</c> for each key it used (KeyArn, Operation);
/// CallCount's dimensions are Service=KMS, Type=API, Class=None, Resource=its quota bucket or name. Counted at the call's minute.
/// </summary>
internal sealed class RecordedMetrics : IMetricSource
{
    private readonly ConcurrentDictionary<MetricSeriesId, SortedList<long, MinuteStats>> _series = new();
    private readonly ConcurrentDictionary<(string Region, string Resource), MetricSeriesId> _callCount = new();

    public void Record(SandboxCall call)
    {
        if (call.Service != "kms" || call.ErrorCode is not null || call.EventType != "AwsApiCall") return;
        var minute = call.Time.ToUnixTimeSeconds() / 60;
        var algorithm = call.RequestParameters?["SigningAlgorithm"]?.GetValue<string>();
        var resource = KmsUsageResource.For(call.Operation, algorithm);
        Add(_callCount.GetOrAdd((call.Region, resource),
            k => new MetricSeriesId(k.Region, "AWS/Usage", "CallCount", KmsUsageResource.Dimensions(k.Resource))), minute);
        if (!KmsUsageResource.IsCryptographic(call.Operation)) return;
        foreach (var arn in call.Resources.Where(r => r.Contains(":key/", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
            Add(new MetricSeriesId(call.Region, "AWS/KMS", "SuccessfulRequest", [new("KeyArn", arn), new("Operation", call.Operation)]), minute);
    }

    public void Clear() => _series.Clear();

    private void Add(MetricSeriesId id, long minute)
    {
        var data = _series.GetOrAdd(id, _ => []);
        lock (data) data[minute] = data.TryGetValue(minute, out var stats) ? stats.Add(MinuteStats.Of(1)) : MinuteStats.Of(1);
    }

    public IEnumerable<MetricSeriesId> SeriesIn(string region) => _series.Keys.Where(k => k.Region == region);

    public void Accumulate(MetricSeriesId series, long fromMinute, long toMinute, long originSeconds, int periodSeconds, MinuteStats[] buckets)
    {
        if (!_series.TryGetValue(series, out var data)) return;
        lock (data)
        {
            var keys = data.Keys;
            for (var i = LowerBound(keys, fromMinute); i < keys.Count && keys[i] < toMinute; i++)
            {
                var index = (keys[i] * 60 - originSeconds) / periodSeconds;
                if (index >= 0 && index < buckets.Length) buckets[index] = buckets[index].Add(data.Values[i]);
            }
        }
    }

    public long? LastMinuteWithData(MetricSeriesId series, long toMinute)
    {
        if (!_series.TryGetValue(series, out var data)) return null;
        lock (data)
        {
            var i = LowerBound(data.Keys, toMinute) - 1;
            return i >= 0 ? data.Keys[i] : null;
        }
    }

    private static int LowerBound(IList<long> keys, long value)
    {
        int lo = 0, hi = keys.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keys[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
