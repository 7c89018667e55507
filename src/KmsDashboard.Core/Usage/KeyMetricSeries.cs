namespace KmsDashboard.Core.Usage;

/// <summary>SuccessfulRequest of one key and operation in one Region, a value per period of the range.</summary>
public sealed record KeyMetricSeries(string Region, string KeyArn, string Operation, double[] Values)
{
    /// <summary>The key id, the last part of the ARN (shared by related multi-Region keys).</summary>
    public string KeyId => KeyArn[(KeyArn.LastIndexOf('/') + 1)..];
}
