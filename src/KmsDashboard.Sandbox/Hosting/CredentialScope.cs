using System.Text.RegularExpressions;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>Reads <c>Credential=AKID/20260101/us-east-1/kms/aws4_request</c> out of a SigV4 Authorization header.</summary>
public sealed partial record CredentialScope(string AccessKeyId, string Date, string Region, string Service)
{
    [GeneratedRegex(@"Credential=(?<akid>[^/\s,]+)/(?<date>\d{8})/(?<region>[^/\s,]+)/(?<service>[^/\s,]+)/aws4_request", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static CredentialScope? Parse(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization)) return null;
        var m = Pattern().Match(authorization);
        return m.Success
            ? new CredentialScope(m.Groups["akid"].Value, m.Groups["date"].Value, m.Groups["region"].Value, m.Groups["service"].Value)
            : null;
    }

    /// <summary>Pre-signed URLs (S3) carry the scope in <c>X-Amz-Credential</c>.</summary>
    public static CredentialScope? ParseQuery(string? credential) =>
        string.IsNullOrEmpty(credential) ? null : Parse("Credential=" + credential);
}
