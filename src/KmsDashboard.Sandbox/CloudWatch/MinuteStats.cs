namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>A statistic set: what CloudWatch keeps per metric and minute (and combines into longer periods).</summary>
internal readonly record struct MinuteStats(double SampleCount, double Sum, double Minimum, double Maximum)
{
    public static MinuteStats Of(double value) => new(1, value, value, value);

    /// <summary><paramref name="count"/> samples of value 1 (requests counted one by one).</summary>
    public static MinuteStats Requests(int count) => new(count, count, 1, 1);

    public bool IsEmpty => SampleCount <= 0;

    public MinuteStats Add(MinuteStats other) =>
        IsEmpty ? other : other.IsEmpty ? this
        : new(SampleCount + other.SampleCount, Sum + other.Sum, Math.Min(Minimum, other.Minimum), Math.Max(Maximum, other.Maximum));

    public double Statistic(string stat) => stat switch
    {
        "Sum" => Sum,
        "SampleCount" => SampleCount,
        "Average" => Sum / SampleCount,
        "Minimum" => Minimum,
        "Maximum" => Maximum,
        _ => throw new ArgumentOutOfRangeException(nameof(stat), stat, "Unsupported statistic."),
    };
}
