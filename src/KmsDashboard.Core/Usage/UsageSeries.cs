namespace KmsDashboard.Core.Usage;

/// <summary>One named series of a chart, a value per period of the chart's timeline (zero where CloudWatch had no data).</summary>
public sealed record UsageSeries(string Name, IReadOnlyList<double> Values)
{
    public double Total => Values.Sum();
}
