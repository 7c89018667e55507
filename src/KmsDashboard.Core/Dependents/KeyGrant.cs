namespace KmsDashboard.Core.Dependents;

/// <summary>One KMS grant on a key in one Region (ListGrants), as plain data.</summary>
public sealed record KeyGrant
{
    public required string Region { get; init; }
    public required string KeyArn { get; init; }
    public required string GrantId { get; init; }
    public string? Name { get; init; }
    public required string GranteePrincipal { get; init; }
    public string? RetiringPrincipal { get; init; }
    public IReadOnlyList<string> Operations { get; init; } = [];
    public IReadOnlyDictionary<string, string>? EncryptionContextSubset { get; init; }
    public IReadOnlyDictionary<string, string>? EncryptionContextEquals { get; init; }
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>The constraints in one line ("context includes app=x"), or empty when there are none.</summary>
    public string ConstraintText
    {
        get
        {
            var parts = new List<string>();
            if (EncryptionContextEquals is { Count: > 0 } equals) parts.Add("context equals " + Pairs(equals));
            if (EncryptionContextSubset is { Count: > 0 } subset) parts.Add("context includes " + Pairs(subset));
            return string.Join("; ", parts);
        }
    }

    private static string Pairs(IReadOnlyDictionary<string, string> map) =>
        string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
