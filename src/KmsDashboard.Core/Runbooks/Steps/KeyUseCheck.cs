using KmsDashboard.Core.Usage;

namespace KmsDashboard.Core.Runbooks.Steps;

/// <summary>
/// A key's use per Region over a window, from CloudWatch <c>AWS/KMS SuccessfulRequest</c> (read through Core/Usage), minus
/// the runbook's own test calls on it (its recorded Encrypt/Decrypt), so a check does not see itself.
/// </summary>
internal static class KeyUseCheck
{
    public sealed record RegionUse(string Region, double Requests, double Own, double SinceMark, DateTimeOffset? LastUse, string? Error)
    {
        public double Others => Math.Max(0, Requests - Own);
    }

    public sealed record Result(IReadOnlyList<RegionUse> Regions, UsageRange Range)
    {
        public double Others => Regions.Sum(r => r.Others);
        public bool AnyError => Regions.Any(r => r.Error is not null);
    }

    /// <param name="ownMarker">Text in the Parameters of the runbook's own calls on this key (e.g. the key id).</param>
    /// <param name="mark">Also count the use since this moment (e.g. since the aliases moved).</param>
    public static async Task<Result> ReadAsync(StepContext context, IReadOnlyDictionary<string, string> arns, TimeSpan window, string ownMarker,
        DateTimeOffset? mark, CancellationToken cancellationToken)
    {
        var now = context.Now;
        // Unlike the charts, the check includes the period still running: use in the last seconds counts too.
        var period = UsageRange.ChoosePeriod(now - window, now, now);
        var startSeconds = (now - window).ToUnixTimeSeconds();
        var endSeconds = now.ToUnixTimeSeconds();
        var range = new UsageRange(UsageRangeKind.Custom, DateTimeOffset.FromUnixTimeSeconds(startSeconds - startSeconds % period),
            DateTimeOffset.FromUnixTimeSeconds(endSeconds - endSeconds % period + period), period);
        var own = context.PreviousCalls.Concat(context.Calls)
            .Where(c => c.State == "Succeeded" && c.Operation is "Encrypt" or "Decrypt" && c.Parameters.Contains(ownMarker, StringComparison.Ordinal))
            .Where(c => c.AnsweredAt is { } at && at >= range.Start.UtcDateTime && at < range.End.UtcDateTime)
            .ToList();
        var regions = new List<RegionUse>();
        foreach (var (region, arn) in arns.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var usage = await context.Usage.ReadRegionAsync(region, range, [arn], onlyKnownKeys: true, cancellationToken, context.Account);
            var values = new double[range.PointCount];
            foreach (var series in usage.Series.Where(s => s.KeyArn == arn))
                for (var i = 0; i < values.Length && i < series.Values.Length; i++) values[i] += series.Values[i];
            var last = Array.FindLastIndex(values, v => v > 0);
            var sinceMark = 0.0;
            if (mark is { } m)
                for (var i = 0; i < values.Length; i++)
                    if (range.Start.AddSeconds((double)i * range.PeriodSeconds) >= m.AddSeconds(-range.PeriodSeconds)) sinceMark += values[i];
            regions.Add(new RegionUse(region, values.Sum(), own.Count(c => c.Region == region), sinceMark,
                last < 0 ? null : range.Start.AddSeconds((double)last * range.PeriodSeconds), usage.Error));
        }
        return new Result(regions, range);
    }

    public static string Requests(double n) => n == 1 ? "1 request" : $"{n:0} requests";

    public static string Describe(RegionUse r, string markName) => r.Error is not null
        ? $"{r.Region}: CloudWatch could not be read ({r.Error})."
        : $"{r.Region}: {Requests(r.Others)}" + (r.Own > 0 ? $" (besides {r.Own:0} of the runbook's own checks)" : "") +
          (markName.Length > 0 ? $", {Math.Max(0, r.SinceMark - r.Own):0} since {markName}" : "") +
          (r.LastUse is { } at && r.Others > 0 ? $", last in the period from {at:yyyy-MM-dd HH:mm} UTC." : ".");
}
