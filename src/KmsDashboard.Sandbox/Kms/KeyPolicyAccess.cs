using System.Text.Json;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// The part of KMS authorization the sandbox models: a key's policy decides who may use the key. A statement naming the
/// account (<c>arn:aws:iam::ACCOUNT:root</c> or the bare account id) delegates to IAM, and the sandbox has no IAM
/// policies, so every principal of the account passes it; a statement naming a user or role passes only that caller.
/// An explicit Deny wins over any Allow; no matching Allow is an implicit deny. Statements with a <c>Condition</c> are
/// not evaluated (they neither allow nor deny), so only unconditional grants count.
/// </summary>
internal static class KeyPolicyAccess
{
    public enum Decision { Allowed, ImplicitDeny, ExplicitDeny }

    /// <summary>
    /// Throws AccessDeniedException, worded as KMS words it, when <paramref name="policy"/> does not let
    /// <paramref name="caller"/> (an IAM user, role or assumed-role ARN) perform <paramref name="action"/> (<c>kms:X</c>).
    /// </summary>
    public static void Demand(string policy, string account, CallerIdentity caller, string action, string keyArn)
    {
        var decision = Evaluate(policy, account, caller, action);
        if (decision == Decision.Allowed) return;
        var because = decision == Decision.ExplicitDeny
            ? "with an explicit deny in a resource-based policy"
            : $"because no resource-based policy allows the {action} action";
        throw KmsErrors.AccessDenied($"User: {caller.Arn} is not authorized to perform: {action} on resource: {keyArn} {because}");
    }

    public static Decision Evaluate(string policy, string account, CallerIdentity caller, string action)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(policy);
        }
        catch (JsonException)
        {
            return Decision.ImplicitDeny;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("Statement", out var statements))
                return Decision.ImplicitDeny;
            var allowed = false;
            foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray() : Enumerate(statements))
            {
                if (statement.ValueKind != JsonValueKind.Object || statement.TryGetProperty("Condition", out _)) continue;
                if (!ActionMatches(statement, action) || !PrincipalMatches(statement, account, caller)) continue;
                var effect = statement.TryGetProperty("Effect", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                if (effect == "Deny") return Decision.ExplicitDeny;
                if (effect == "Allow") allowed = true;
            }
            return allowed ? Decision.Allowed : Decision.ImplicitDeny;
        }
    }

    private static IEnumerable<JsonElement> Enumerate(JsonElement single) { yield return single; }

    private static bool ActionMatches(JsonElement statement, string action)
    {
        if (statement.TryGetProperty("Action", out var actions)) return Strings(actions).Any(a => Wildcard(a, action));
        if (statement.TryGetProperty("NotAction", out var notActions)) return !Strings(notActions).Any(a => Wildcard(a, action));
        return false;
    }

    private static bool PrincipalMatches(JsonElement statement, string account, CallerIdentity caller)
    {
        if (!statement.TryGetProperty("Principal", out var principal)) return false;
        if (principal.ValueKind == JsonValueKind.String) return principal.GetString() == "*";
        if (principal.ValueKind != JsonValueKind.Object || !principal.TryGetProperty("AWS", out var aws)) return false;
        foreach (var name in Strings(aws))
        {
            if (name == "*" || name == account || name == $"arn:aws:iam::{account}:root") return true; // the account: IAM decides
            if (caller.Matches(name)) return true;
        }
        return false;
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        _ => [],
    };

    /// <summary>IAM action matching: case-insensitive, <c>*</c> and <c>?</c> wildcards.</summary>
    private static bool Wildcard(string pattern, string value)
    {
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v]))) { p++; v++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = v; }
            else if (star >= 0) { p = star + 1; v = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
