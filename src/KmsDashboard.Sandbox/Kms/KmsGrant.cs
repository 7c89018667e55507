namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// A grant on one KMS key in one Region (grants are independent per Region, even between related multi-Region keys).
/// Constraint keys compare case-insensitively and values case-sensitively, as KMS documents.
/// </summary>
internal sealed record KmsGrant(
    string GrantId,
    string? Name,
    DateTimeOffset CreationDate,
    string GranteePrincipal,
    string? RetiringPrincipal,
    string IssuingAccount,
    IReadOnlyList<string> Operations,
    IReadOnlyDictionary<string, string>? EncryptionContextSubset,
    IReadOnlyDictionary<string, string>? EncryptionContextEquals)
{
    /// <summary>Whether a retried CreateGrant with this name asks for this very grant (so KMS returns its id again).</summary>
    public bool SameRequestAs(KmsGrant other) =>
        Name == other.Name && GranteePrincipal == other.GranteePrincipal && RetiringPrincipal == other.RetiringPrincipal
        && Operations.Order(StringComparer.Ordinal).SequenceEqual(other.Operations.Order(StringComparer.Ordinal))
        && SameMap(EncryptionContextSubset, other.EncryptionContextSubset) && SameMap(EncryptionContextEquals, other.EncryptionContextEquals);

    private static bool SameMap(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a is null || a.Count == 0) ? (b is null || b.Count == 0)
            : b is not null && a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
