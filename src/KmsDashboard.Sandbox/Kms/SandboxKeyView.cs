namespace KmsDashboard.Sandbox.Kms;

/// <summary>A read-only picture of one sandbox KMS key in one Region, for the other sandbox services.</summary>
public sealed record SandboxKeyView(
    string Region,
    string KeyId,
    string Arn,
    string KeyState,
    string? MultiRegionKeyType,
    IReadOnlyList<string> Aliases,
    DateTimeOffset CreationDate,
    bool AwsManaged);
