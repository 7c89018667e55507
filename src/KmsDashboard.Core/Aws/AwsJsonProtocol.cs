namespace KmsDashboard.Core.Aws;

/// <summary>
/// How one AWS service speaks the AWS JSON protocol: its signing name, endpoint prefix, <c>X-Amz-Target</c>
/// prefix, JSON version (1.0 or 1.1), and whether it is query-compatible (sends <c>x-amzn-query-mode: true</c>).
/// </summary>
public sealed record AwsJsonProtocol(
    string SigningName, string EndpointPrefix, string TargetPrefix, string JsonVersion, bool QueryCompatible = false)
{
    /// <summary>CloudWatch: AWS JSON 1.0, <c>GraniteServiceVersion20100801</c>, signed for <c>monitoring</c>.</summary>
    public static readonly AwsJsonProtocol CloudWatch = new("monitoring", "monitoring", "GraniteServiceVersion20100801", "1.0", QueryCompatible: true);

    /// <summary>CloudTrail: AWS JSON 1.1, signed for <c>cloudtrail</c>.</summary>
    public static readonly AwsJsonProtocol CloudTrail = new("cloudtrail", "cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "1.1");

    /// <summary>AWS Organizations: AWS JSON 1.1, <c>AWSOrganizationsV20161128</c>, signed for <c>organizations</c> in us-east-1.</summary>
    public static readonly AwsJsonProtocol Organizations = new("organizations", "organizations", "AWSOrganizationsV20161128", "1.1");

    public string ContentType => $"application/x-amz-json-{JsonVersion}";

    public string Target(string operation) => $"{TargetPrefix}.{operation}";

    /// <summary>The service's public endpoint in a Region (China Regions end in amazonaws.com.cn).</summary>
    public Uri EndpointFor(string region) =>
        new($"https://{EndpointPrefix}.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/");
}
