using System.Globalization;

namespace KmsDashboard.Core.Usage;

/// <summary>
/// A time range with the CloudWatch period used to read it: the shortest period that keeps each series at
/// ≤ <see cref="MaxPoints"/> points and that CloudWatch serves for data of that age (a multiple of 60 s; of 300 s
/// when the start is over 15 days old; of 3600 s over 63 days). Start is aligned down to the period.
/// </summary>
public sealed record UsageRange(UsageRangeKind Kind, DateTimeOffset Start, DateTimeOffset End, int PeriodSeconds)
{
    /// <summary>Points per series the charts get at most.</summary>
    public const int MaxPoints = 1000;

    /// <summary>CloudWatch keeps hourly data for 455 days.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(455);

    /// <summary>The periods offered, shortest first.</summary>
    public static readonly IReadOnlyList<int> Periods = [60, 300, 900, 3600, 10800, 21600, 43200, 86400];

    public TimeSpan Length => End - Start;

    public int PointCount => (int)Math.Ceiling(Length.TotalSeconds / PeriodSeconds);

    /// <summary>The period's start times, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Timeline() =>
        [.. Enumerable.Range(0, PointCount).Select(i => Start.AddSeconds((double)i * PeriodSeconds))];

    public string Describe() => Kind switch
    {
        UsageRangeKind.LastHour => "Last hour",
        UsageRangeKind.LastDay => "Last 24 hours",
        UsageRangeKind.LastWeek => "Last 7 days",
        UsageRangeKind.Last30Days => "Last 30 days",
        UsageRangeKind.Last90Days => "Last 90 days",
        _ => $"{Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} – {End.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
    } + $" · {DescribePeriod(PeriodSeconds)} periods";

    public static string DescribePeriod(int seconds) => seconds switch
    {
        < 3600 => $"{seconds / 60}-minute",
        < 86400 => $"{seconds / 3600}-hour",
        _ => $"{seconds / 86400}-day",
    };

    /// <summary>A preset range ending now.</summary>
    public static UsageRange For(UsageRangeKind kind, DateTimeOffset now) => kind switch
    {
        UsageRangeKind.LastHour => Create(kind, now.AddHours(-1), now, now),
        UsageRangeKind.LastDay => Create(kind, now.AddDays(-1), now, now),
        UsageRangeKind.LastWeek => Create(kind, now.AddDays(-7), now, now),
        UsageRangeKind.Last30Days => Create(kind, now.AddDays(-30), now, now),
        UsageRangeKind.Last90Days => Create(kind, now.AddDays(-90), now, now),
        _ => throw new ArgumentException("A custom range needs a start and an end; use Custom.", nameof(kind)),
    };

    /// <summary>A custom range, or the reason it cannot be read.</summary>
    public static UsageRange Custom(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        if (Validate(start, end, now) is { } error) throw new ArgumentException(error);
        return Create(UsageRangeKind.Custom, start, end, now);
    }

    /// <summary>Null when the range is readable; otherwise a message for the user.</summary>
    public static string? Validate(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now)
    {
        if (start is null || end is null) return "Choose a start and an end.";
        if (end <= start) return "The end must be after the start.";
        if (start > now) return "The start is in the future.";
        if (start < now - Retention) return $"CloudWatch keeps data for {Retention.TotalDays:0} days; choose a start after {(now - Retention).UtcDateTime:yyyy-MM-dd}.";
        if (end - start < TimeSpan.FromMinutes(5)) return "Choose a range of at least 5 minutes.";
        return null;
    }

    /// <summary>The shortest offered period that keeps ≤ MaxPoints points and that CloudWatch serves for data as old as <paramref name="start"/>.</summary>
    public static int ChoosePeriod(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var age = now - start;
        var multiple = age > TimeSpan.FromDays(63) ? 3600 : age > TimeSpan.FromDays(15) ? 300 : 60;
        foreach (var period in Periods)
        {
            if (period % multiple != 0) continue;
            if ((end - start).TotalSeconds / period <= MaxPoints) return period;
        }
        return Periods[^1];
    }

    private static UsageRange Create(UsageRangeKind kind, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        var period = ChoosePeriod(start, end, now);
        // Whole periods only: a period still running would show as a drop at the end of the chart.
        var startSeconds = start.ToUnixTimeSeconds();
        var endSeconds = end.ToUnixTimeSeconds();
        var alignedEnd = DateTimeOffset.FromUnixTimeSeconds(endSeconds - endSeconds % period);
        var alignedStart = DateTimeOffset.FromUnixTimeSeconds(startSeconds - startSeconds % period);
        if (alignedEnd <= alignedStart) alignedEnd = alignedStart.AddSeconds(period);
        return new UsageRange(kind, alignedStart, alignedEnd, period);
    }
}
