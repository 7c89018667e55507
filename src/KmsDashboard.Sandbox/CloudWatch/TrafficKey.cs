namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>A sandbox KMS key as the traffic generator sees it (taken from the sandbox KMS's read view).</summary>
internal sealed record TrafficKey(
    string Region, string KeyId, string Arn, string KeyState, IReadOnlyList<string> Aliases, DateTimeOffset CreationDate, bool AwsManaged);
