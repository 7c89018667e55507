namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>One validated GetMetricData query.</summary>
internal sealed record MetricDataQuerySpec(
    string Id, string? Label, bool ReturnData, string Namespace, string MetricName,
    IReadOnlyList<KeyValuePair<string, string>> Dimensions, int Period, string Stat, string? Unit);
