using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// GetMetricData and ListMetrics over the sandbox's metric sources, with CloudWatch's rules: ≤500 queries with unique
/// ids starting lower-case, periods of 1/5/10/20/30 s or multiples of 60 (300 for data older than 15 days, 3600 older
/// than 63), StartTime rounded down by its age, EndTime exclusive, the five statistics, MaxDatapoints paging
/// (≤100,800), and ListMetrics pages of 500 over metrics with data in the past two weeks.
/// </summary>
internal sealed partial class CloudWatchMetrics(SandboxClock clock, IReadOnlyList<IMetricSource> sources)
{
    public const int MaxQueries = 500;
    public const int MaxDatapoints = 100_800;
    public const int ListMetricsPageSize = 500;
    private static readonly string[] Statistics = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];
    private static readonly int[] HighResolutionPeriods = [1, 5, 10, 20, 30];

    [GeneratedRegex("^[a-z][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    public (IReadOnlyList<MetricDataResultSpec> Results, string? NextToken) GetMetricData(string region, JsonObject request)
    {
        var queries = ReadQueries(request);
        var start = RequestReader.Time(request, "StartTime") ?? throw CloudWatchException.MissingParameter("The parameter StartTime is required.");
        var end = RequestReader.Time(request, "EndTime") ?? throw CloudWatchException.MissingParameter("The parameter EndTime is required.");
        if (end <= start) throw CloudWatchException.Validation("The parameter StartTime must be less than the parameter EndTime.");
        var scanBy = RequestReader.String(request, "ScanBy") ?? "TimestampDescending";
        if (scanBy is not ("TimestampDescending" or "TimestampAscending"))
            throw CloudWatchException.Validation($"1 validation error detected: Value '{scanBy}' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [TimestampDescending, TimestampAscending]");
        var maxDatapoints = RequestReader.Int(request, "MaxDatapoints", "MaxDatapoints") ?? MaxDatapoints;
        if (maxDatapoints is < 1 or > MaxDatapoints)
            throw CloudWatchException.InvalidParameterValue($"The value {maxDatapoints} for parameter MaxDatapoints is not valid. It must be between 1 and {MaxDatapoints}.");

        var fingerprint = Fingerprint(request, "NextToken");
        var offset = 0L;
        if (RequestReader.String(request, "NextToken") is { Length: > 0 } token)
            offset = ReadToken(token, fingerprint) ?? throw CloudWatchException.InvalidNextToken("The service couldn't process your request because the NextToken is not valid.");

        var now = clock.UtcNow;
        var all = queries.Where(q => q.ReturnData).Select(q => Compute(region, q, start, end, now, scanBy)).ToList();

        // Page through the data points of every query in order, MaxDatapoints at a time; queries with no data
        // points come back (empty, Complete) on the first page.
        var page = new List<MetricDataResultSpec>();
        var total = all.Sum(r => (long)r.Timestamps.Count);
        var pageEnd = offset + maxDatapoints;
        long position = 0;
        foreach (var result in all)
        {
            var count = result.Timestamps.Count;
            var (first, last) = (position, position + count);
            position = last;
            if (count == 0)
            {
                if (offset == 0) page.Add(result);
                continue;
            }
            if (last <= offset || first >= pageEnd) continue;
            var from = (int)Math.Max(0, offset - first);
            var to = (int)Math.Min(count, pageEnd - first);
            page.Add(result with
            {
                Timestamps = result.Timestamps.Skip(from).Take(to - from).ToList(),
                Values = result.Values.Skip(from).Take(to - from).ToList(),
                StatusCode = to == count ? "Complete" : "PartialData",
            });
        }
        var next = pageEnd < total ? WriteToken(pageEnd, fingerprint) : null;
        return (page, next);
    }

    public (IReadOnlyList<MetricSeriesId> Metrics, string? NextToken) ListMetrics(string region, JsonObject request)
    {
        var ns = RequestReader.String(request, "Namespace");
        var name = RequestReader.String(request, "MetricName");
        var filters = new List<(string Name, string? Value)>();
        if (request["Dimensions"] is JsonArray dims)
        {
            if (dims.Count > 10) throw CloudWatchException.InvalidParameterValue("The collection Dimensions must not have a size greater than 10.");
            foreach (var (d, i) in dims.Select((d, i) => (d as JsonObject, i + 1)))
            {
                var dn = d is null ? null : RequestReader.String(d, "Name");
                if (string.IsNullOrEmpty(dn)) throw CloudWatchException.MissingParameter($"The parameter Dimensions.member.{i}.Name is required.");
                filters.Add((dn, RequestReader.String(d!, "Value")));
            }
        }
        var recently = RequestReader.String(request, "RecentlyActive");
        if (recently is not null && recently != "PT3H")
            throw CloudWatchException.InvalidParameterValue($"The value {recently} for parameter RecentlyActive is not valid. The only valid value is PT3H.");

        var nowMinute = clock.UtcNow.ToUnixTimeSeconds() / 60;
        var sinceMinute = nowMinute - (recently is null ? 14 * 24 * 60 : 3 * 60);
        var matches = sources.SelectMany(s => s.SeriesIn(region)).Distinct()
            .Where(m => (ns is null || m.Namespace == ns) && (name is null || m.MetricName == name))
            .Where(m => filters.All(f => m.Dimensions.Any(d => d.Key == f.Name && (f.Value is null || d.Value == f.Value))))
            .Where(m => sources.Select(s => s.LastMinuteWithData(m, nowMinute + 1)).Max() is { } last && last >= sinceMinute)
            .OrderBy(m => m.SortKey, StringComparer.Ordinal)
            .ToList();

        var fingerprint = Fingerprint(request, "NextToken");
        var offset = 0L;
        if (RequestReader.String(request, "NextToken") is { Length: > 0 } token)
            offset = ReadToken(token, fingerprint) ?? throw CloudWatchException.InvalidParameterValue("The value for parameter NextToken is not valid.");
        var page = matches.Skip((int)offset).Take(ListMetricsPageSize).ToList();
        var next = offset + page.Count < matches.Count ? WriteToken(offset + page.Count, fingerprint) : null;
        return (page, next);
    }

    private MetricDataResultSpec Compute(string region, MetricDataQuerySpec q, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, string scanBy)
    {
        var label = q.Label ?? q.MetricName;
        var period = q.Period;
        var alignedStart = RoundStart(start, now, period);
        var origin = alignedStart.ToUnixTimeSeconds();
        var endSeconds = end.ToUnixTimeSeconds() + (end.Ticks % TimeSpan.TicksPerSecond > 0 ? 1 : 0);
        var bucketCount = (endSeconds - origin + period - 1) / period;
        if (bucketCount > 5_000_000)
            throw CloudWatchException.Validation($"Query {q.Id} asks for {bucketCount:N0} periods; the sandbox answers at most 5,000,000 per query (use a longer period).");
        var timestamps = new List<DateTimeOffset>();
        var values = new List<double>();
        if (q.Unit is null || q.Unit == "Count")
        {
            var buckets = new MinuteStats[bucketCount];
            var fromMinute = (origin + 59) / 60;
            var toMinute = Math.Min((endSeconds + 59) / 60, now.ToUnixTimeSeconds() / 60 + 1);
            foreach (var series in sources.SelectMany(s => s.SeriesIn(region)).Distinct().Where(m => m.Matches(q.Namespace, q.MetricName, q.Dimensions)))
                foreach (var source in sources)
                    source.Accumulate(series, fromMinute, toMinute, origin, period, buckets);
            for (var i = 0; i < buckets.Length; i++)
            {
                if (buckets[i].IsEmpty) continue;
                var t = DateTimeOffset.FromUnixTimeSeconds(origin + (long)i * period);
                if (t >= end || !ServedAtPeriod(now - t, period)) continue;
                timestamps.Add(t);
                values.Add(buckets[i].Statistic(q.Stat));
            }
        }
        if (scanBy == "TimestampDescending")
        {
            timestamps.Reverse();
            values.Reverse();
        }
        return new MetricDataResultSpec(q.Id, label, timestamps, values, "Complete");
    }

    /// <summary>StartTime rounds down to the minute (under 15 days old), 5 minutes (under 63 days) or the hour; sub-minute periods to their division.</summary>
    internal static DateTimeOffset RoundStart(DateTimeOffset start, DateTimeOffset now, int period)
    {
        var age = now - start;
        var unit = period < 60 ? period : age > TimeSpan.FromDays(63) ? 3600 : age > TimeSpan.FromDays(15) ? 300 : 60;
        var seconds = start.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds - (((seconds % unit) + unit) % unit));
    }

    /// <summary>Data older than 15 days only comes back at multiples of 5 minutes, older than 63 days at multiples of an hour.</summary>
    internal static bool ServedAtPeriod(TimeSpan age, int period) =>
        age <= TimeSpan.FromDays(15) ? true : age <= TimeSpan.FromDays(63) ? period % 300 == 0 : period % 3600 == 0;

    private static List<MetricDataQuerySpec> ReadQueries(JsonObject request)
    {
        if (request["MetricDataQueries"] is not JsonArray list || list.Count == 0)
            throw CloudWatchException.MissingParameter("The parameter MetricDataQueries is required.");
        if (list.Count > MaxQueries)
            throw CloudWatchException.Validation($"The collection MetricDataQueries must not have a size greater than {MaxQueries}.");
        var queries = new List<MetricDataQuerySpec>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"MetricDataQueries.member.{i + 1}";
            if (list[i] is not JsonObject q) throw CloudWatchException.Validation($"{path} must be a structure.");
            var id = RequestReader.String(q, "Id");
            if (string.IsNullOrEmpty(id)) throw CloudWatchException.MissingParameter($"The parameter {path}.Id is required.");
            if (id.Length > 255 || !IdPattern().IsMatch(id))
                throw CloudWatchException.Validation($"The value {id} for parameter {path}.Id is not valid. The Id must start with a lowercase letter and contain only letters, numbers and underscores.");
            if (!ids.Add(id)) throw CloudWatchException.Validation($"The values for parameter id in MetricDataQueries are not unique. The Id {id} is used more than once.");
            var expression = RequestReader.String(q, "Expression");
            var stat = q["MetricStat"] as JsonObject;
            if ((expression is null) == (stat is null))
                throw CloudWatchException.Validation($"Exactly one of {path}.MetricStat and {path}.Expression must be given.");
            if (expression is not null)
                throw CloudWatchException.Validation($"{path}.Expression: the sandbox does not evaluate metric math or Metrics Insights expressions; query the metrics with MetricStat.");
            var metric = stat!["Metric"] as JsonObject ?? throw CloudWatchException.MissingParameter($"The parameter {path}.MetricStat.Metric is required.");
            var ns = RequestReader.String(metric, "Namespace") ?? throw CloudWatchException.MissingParameter($"The parameter {path}.MetricStat.Metric.Namespace is required.");
            var name = RequestReader.String(metric, "MetricName") ?? throw CloudWatchException.MissingParameter($"The parameter {path}.MetricStat.Metric.MetricName is required.");
            var dims = new List<KeyValuePair<string, string>>();
            if (metric["Dimensions"] is JsonArray dimArray)
            {
                if (dimArray.Count > 30) throw CloudWatchException.Validation($"The collection {path}.MetricStat.Metric.Dimensions must not have a size greater than 30.");
                foreach (var d in dimArray.OfType<JsonObject>())
                    dims.Add(new(RequestReader.String(d, "Name") ?? "", RequestReader.String(d, "Value") ?? ""));
            }
            var period = RequestReader.Int(stat, "Period", $"{path}.MetricStat.Period")
                         ?? throw CloudWatchException.MissingParameter($"The parameter {path}.MetricStat.Period is required.");
            if (period < 1 || (period < 60 && !HighResolutionPeriods.Contains(period)) || (period >= 60 && period % 60 != 0))
                throw CloudWatchException.InvalidParameterValue($"The value {period} for parameter {path}.MetricStat.Period is not valid. The period must be 1, 5, 10, 20, 30, 60 or a multiple of 60.");
            var statistic = RequestReader.String(stat, "Stat") ?? throw CloudWatchException.MissingParameter($"The parameter {path}.MetricStat.Stat is required.");
            if (!Statistics.Contains(statistic))
                throw CloudWatchException.InvalidParameterValue($"The value {statistic} for parameter {path}.MetricStat.Stat is not valid. The sandbox computes Sum, Average, Minimum, Maximum and SampleCount.");
            queries.Add(new MetricDataQuerySpec(id, RequestReader.String(q, "Label"), RequestReader.Bool(q, "ReturnData", $"{path}.ReturnData") ?? true,
                ns, name, dims, period, statistic, RequestReader.String(stat, "Unit")));
        }
        return queries;
    }

    private static string Fingerprint(JsonObject request, string except)
    {
        var copy = (JsonObject)request.DeepClone();
        copy.Remove(except);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ToJsonString())))[..16];
    }

    private static string WriteToken(long offset, string fingerprint) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1:{offset}:{fingerprint}"));

    private static long? ReadToken(string token, string fingerprint)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            return parts.Length == 3 && parts[0] == "v1" && parts[2] == fingerprint && long.TryParse(parts[1], out var offset) && offset >= 0 ? offset : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
