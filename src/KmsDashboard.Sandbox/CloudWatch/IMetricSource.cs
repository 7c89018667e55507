namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>Where metric data comes from: the calls the sandbox served, and the demo traffic generator.</summary>
internal interface IMetricSource
{
    /// <summary>The metrics this source has in a Region.</summary>
    IEnumerable<MetricSeriesId> SeriesIn(string region);

    /// <summary>
    /// Adds the statistic sets of minutes [<paramref name="fromMinute"/>, <paramref name="toMinute"/>) (Unix minutes) of a metric
    /// into <paramref name="buckets"/>, bucket i covering [origin + i·period, origin + (i+1)·period) in Unix seconds.
    /// </summary>
    void Accumulate(MetricSeriesId series, long fromMinute, long toMinute, long originSeconds, int periodSeconds, MinuteStats[] buckets);

    /// <summary>The latest minute before <paramref name="toMinute"/> with data, or null.</summary>
    long? LastMinuteWithData(MetricSeriesId series, long toMinute);
}
