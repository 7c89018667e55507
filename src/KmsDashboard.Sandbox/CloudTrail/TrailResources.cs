namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>CloudTrail resource types of the ARNs the sandbox records.</summary>
internal static class TrailResources
{
    public static string TypeOf(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length < 6) return "";
        return parts[2] switch
        {
            "kms" when parts[5].StartsWith("key/", StringComparison.Ordinal) => "AWS::KMS::Key",
            "kms" when parts[5].StartsWith("alias/", StringComparison.Ordinal) => "AWS::KMS::Alias",
            "s3" => "AWS::S3::Bucket",
            "iam" when parts[5].StartsWith("role/", StringComparison.Ordinal) => "AWS::IAM::Role",
            _ => $"AWS::{parts[2].ToUpperInvariant()}::Resource",
        };
    }

    /// <summary>The account of an ARN, or <paramref name="fallback"/> when the ARN has none (S3 buckets).</summary>
    public static string AccountOf(string arn, string fallback)
    {
        var parts = arn.Split(':', 6);
        return parts.Length >= 6 && parts[4].Length > 0 ? parts[4] : fallback;
    }
}
