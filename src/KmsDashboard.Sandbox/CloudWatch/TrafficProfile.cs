namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>
/// How busy one key is in one Region: requests a minute at the daily peak, the operation mix, whether it follows
/// office hours (weekdays busy, weekends quiet) or consumer traffic, when its traffic stopped, and its spikes.
/// </summary>
internal sealed record TrafficProfile(
    TrafficKey Key,
    double PeakPerMinute,
    IReadOnlyList<(string Operation, double Share)> Operations,
    bool OfficeHours,
    DateTimeOffset From,
    DateTimeOffset Until,
    IReadOnlyList<(DateTimeOffset Start, TimeSpan Length, double Factor)> Spikes)
{
    /// <summary>Hours from UTC of the Region's business day, so each Region's daily cycle peaks in its own afternoon.</summary>
    public double UtcOffsetHours { get; } = OffsetFor(Key.Region);

    /// <summary>The expected requests a minute in the hour starting at <paramref name="hour"/> (UTC), before the operation split.</summary>
    public double RateAt(DateTimeOffset hour)
    {
        if (hour < From.AddHours(-1) || hour >= Until) return 0;
        var local = hour.AddHours(UtcOffsetHours);
        var h = local.Hour + local.Minute / 60.0;
        // A smooth day: trough around 03:00, peak around 15:00 local.
        var day = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (h - 3) / 24);
        var daily = OfficeHours ? 0.08 + 0.92 * Math.Pow(day, 2) : 0.3 + 0.7 * day;
        var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var weekly = weekend ? (OfficeHours ? 0.15 : 0.8) : 1.0;
        var spike = 1.0;
        foreach (var (start, length, factor) in Spikes)
            if (hour >= start && hour < start + length) spike *= factor;
        return PeakPerMinute * daily * weekly * spike;
    }

    private static double OffsetFor(string region) => region switch
    {
        _ when region.StartsWith("us-west", StringComparison.Ordinal) => -8,
        _ when region.StartsWith("us-", StringComparison.Ordinal) || region.StartsWith("ca-", StringComparison.Ordinal) => -5,
        _ when region.StartsWith("sa-", StringComparison.Ordinal) => -3,
        "eu-west-1" or "eu-west-2" => 0,
        _ when region.StartsWith("eu-", StringComparison.Ordinal) => 1,
        _ when region.StartsWith("af-", StringComparison.Ordinal) || region.StartsWith("il-", StringComparison.Ordinal) => 2,
        _ when region.StartsWith("me-", StringComparison.Ordinal) => 4,
        _ when region.StartsWith("ap-south", StringComparison.Ordinal) && !region.StartsWith("ap-southeast", StringComparison.Ordinal) => 5.5,
        "ap-southeast-2" or "ap-southeast-4" => 10,
        _ when region.StartsWith("ap-northeast", StringComparison.Ordinal) => 9,
        _ when region.StartsWith("ap-", StringComparison.Ordinal) => 8,
        _ => 0,
    };
}
