namespace KmsDashboard.Core.Aws;

/// <summary>
/// How the dashboard names itself to AWS, so its own calls can be told apart in CloudTrail: every SDK client sends
/// <c>app/KmsDashboard</c> in its User-Agent (<c>ClientAppId</c>), the JSON clients send <c>KmsDashboard/1.0</c>.
/// </summary>
public static class DashboardIdentity
{
    /// <summary>The SDK's <c>ClientAppId</c>; the SDK writes it into the User-Agent as <c>app/KmsDashboard</c>.</summary>
    public const string AppId = "KmsDashboard";

    /// <summary>Whether a CloudTrail record's user agent is this dashboard's.</summary>
    public static bool IsOwnUserAgent(string? userAgent) =>
        userAgent is not null && (userAgent.Contains("app/" + AppId, StringComparison.Ordinal) || userAgent.StartsWith(AppId + "/", StringComparison.Ordinal));
}
