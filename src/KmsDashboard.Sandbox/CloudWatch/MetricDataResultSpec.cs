namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>One GetMetricData result on one page.</summary>
internal sealed record MetricDataResultSpec(string Id, string Label, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<double> Values, string StatusCode);
