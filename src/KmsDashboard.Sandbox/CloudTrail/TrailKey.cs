namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>What the seeded history needs to know of a KMS key of the demo account.</summary>
internal sealed record TrailKey(
    string Region, string KeyId, string Arn, string KeyState, string? MultiRegionKeyType,
    IReadOnlyList<string> Aliases, DateTimeOffset CreationDate, bool AwsManaged);
