using System.Text.Json;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// What a key policy lets whom do, as the least-privilege and cross-account checks need it: statements allowing anyone
/// without conditions, <c>kms:*</c> to principals other than the account root, broad cryptographic use without
/// <c>kms:ViaService</c> or encryption-context conditions, and principals of other accounts.
/// </summary>
public sealed record KeyPolicyAnalysis(
    IReadOnlyList<PolicyStatementFact> Public,
    IReadOnlyList<PolicyStatementFact> KmsStar,
    IReadOnlyList<PolicyStatementFact> Unconditioned,
    IReadOnlyList<PolicyStatementFact> CrossAccount,
    string? Error)
{
    public static readonly KeyPolicyAnalysis None = new([], [], [], [], null);

    private static readonly string[] CryptographicActions =
        ["kms:encrypt", "kms:decrypt", "kms:reencryptfrom", "kms:reencryptto", "kms:generatedatakey", "kms:generatedatakeywithoutplaintext"];

    /// <summary>Analyses <paramref name="policy"/> of a key in <paramref name="account"/>; a policy that does not parse says so.</summary>
    public static KeyPolicyAnalysis Analyse(string? policy, string account)
    {
        if (string.IsNullOrWhiteSpace(policy)) return None;
        try
        {
            using var doc = JsonDocument.Parse(policy);
            if (!doc.RootElement.TryGetProperty("Statement", out var statements)) return None;
            List<PolicyStatementFact> pub = [], star = [], open = [], cross = [];
            var index = 0;
            foreach (var s in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray() : Enumerable.Repeat(statements, 1))
            {
                index++;
                if (!string.Equals(Text(s, "Effect"), "Allow", StringComparison.OrdinalIgnoreCase)) continue;
                var sid = Text(s, "Sid") is { Length: > 0 } named ? named : $"statement {index}";
                var actions = Strings(s, "Action").Select(a => a.ToLowerInvariant()).ToList();
                var notAction = s.TryGetProperty("NotAction", out _);
                var conditions = s.TryGetProperty("Condition", out var condition) && condition.ValueKind == JsonValueKind.Object
                    ? condition.EnumerateObject().SelectMany(op => op.Value.ValueKind == JsonValueKind.Object ? op.Value.EnumerateObject().Select(k => k.Name.ToLowerInvariant()) : []).ToList()
                    : [];
                var principals = Principals(s);
                var everyone = principals.Contains("*");
                var allActions = notAction || actions.Any(a => a is "*" or "kms:*");
                var actionText = notAction ? "NotAction (everything but a list)" : string.Join(", ", Strings(s, "Action"));
                var cryptographic = allActions || actions.Any(a => a.Contains('*') ? CryptographicActions.Any(c => Matches(a, c)) : CryptographicActions.Contains(a));

                if (everyone && conditions.Count == 0) pub.Add(new(sid, "*", actionText, null));
                foreach (var principal in principals.Where(p => p != "*"))
                {
                    var principalAccount = AccountOf(principal);
                    var root = principalAccount == account && IsRoot(principal);
                    if (principalAccount is not null && principalAccount != account) cross.Add(new(sid, principal, actionText, principalAccount));
                    if (allActions && !root) star.Add(new(sid, principal, actionText, principalAccount));
                    else if (!root && cryptographic && actions.Any(a => a.Contains('*'))
                             && !conditions.Any(c => c == "kms:viaservice" || c.StartsWith("kms:encryptioncontext", StringComparison.Ordinal)))
                        open.Add(new(sid, principal, actionText, principalAccount));
                }
                if (everyone && conditions.Count > 0 && cryptographic
                    && !conditions.Any(c => c is "kms:viaservice" or "kms:calleraccount" or "aws:principalorgid" or "aws:principalaccount" or "aws:sourcevpce" or "aws:sourcevpc"
                                            || c.StartsWith("kms:encryptioncontext", StringComparison.Ordinal)))
                    open.Add(new(sid, "*", actionText, null));
            }
            return new(pub, star, open, cross, null);
        }
        catch (JsonException ex)
        {
            return None with { Error = $"the key policy is not valid JSON ({ex.Message})" };
        }
    }

    /// <summary>The account of an IAM ARN (arn:aws:iam::123456789012:…) or a bare account id; null for services and *.</summary>
    public static string? AccountOf(string principal)
    {
        if (principal.Length == 12 && principal.All(char.IsAsciiDigit)) return principal;
        var parts = principal.Split(':');
        return parts.Length >= 6 && parts[0] == "arn" && parts[4].Length == 12 ? parts[4] : null;
    }

    private static bool IsRoot(string principal) => principal.Length == 12 || principal.EndsWith(":root", StringComparison.Ordinal);

    private static bool Matches(string pattern, string action)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        return star < 0 ? pattern == action : action.StartsWith(pattern[..star], StringComparison.Ordinal);
    }

    private static List<string> Principals(JsonElement s)
    {
        if (!s.TryGetProperty("Principal", out var p)) return [];
        if (p.ValueKind == JsonValueKind.String) return [p.GetString()!];
        if (p.ValueKind != JsonValueKind.Object) return [];
        var list = new List<string>();
        foreach (var kind in p.EnumerateObject())
        {
            // Services act for the account that configures them; only AWS (account, user, role) principals count here.
            if (kind.Name != "AWS") continue;
            list.AddRange(StringsOf(kind.Value));
        }
        return list;
    }

    private static IEnumerable<string> Strings(JsonElement s, string name) => s.TryGetProperty(name, out var v) ? StringsOf(v) : [];

    private static IEnumerable<string> StringsOf(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => [v.GetString()!],
        JsonValueKind.Array => v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        _ => [],
    };

    private static string? Text(JsonElement s, string name) =>
        s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>One statement of a key policy as a finding cites it: its Sid, the principal, the actions, the principal's account.</summary>
public sealed record PolicyStatementFact(string Sid, string Principal, string Actions, string? Account);
