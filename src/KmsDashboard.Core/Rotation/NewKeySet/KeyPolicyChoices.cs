namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>
/// What the least-privilege key policy template is filled with: the account (whose root keeps IAM in charge), key
/// administrators (manage, never use), key users (use, never manage), and optional conditions on use.
/// </summary>
public sealed record KeyPolicyChoices
{
    /// <summary>The 12-digit AWS account id the key lives in.</summary>
    public required string AccountId { get; init; }

    /// <summary>IAM role or user ARNs that manage the key.</summary>
    public IReadOnlyList<string> Administrators { get; init; } = [];

    /// <summary>IAM role or user ARNs that encrypt and decrypt with it.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Service names (e.g. <c>s3</c>, <c>secretsmanager</c>): use only through these services (<c>kms:ViaService</c>), in each Region of the set.</summary>
    public IReadOnlyList<string> ViaServices { get; init; } = [];

    /// <summary>Encryption-context pairs every use must carry (<c>kms:EncryptionContext:KEY</c> = VALUE).</summary>
    public IReadOnlyDictionary<string, string> EncryptionContext { get; init; } = new Dictionary<string, string>();
}
