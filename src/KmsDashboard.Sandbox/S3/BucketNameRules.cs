using System.Net;
using System.Text.RegularExpressions;

namespace KmsDashboard.Sandbox.S3;

/// <summary>S3's naming rules for general purpose buckets (S3 User Guide, "General purpose bucket naming rules").</summary>
internal static partial class BucketNameRules
{
    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static bool IsValid(string name) =>
        Shape().IsMatch(name)
        && !name.Contains("..", StringComparison.Ordinal)
        && !IPAddress.TryParse(name, out _)
        && !ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
        && !ReservedSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal));

    public static void Check(string name)
    {
        if (!IsValid(name)) throw S3Errors.InvalidBucketName(name);
    }
}
