using System.Text;
using System.Text.RegularExpressions;

namespace KmsDashboard.Core.Aws.Accounts;

/// <summary>The shapes of account ids, role names and ARNs, and STS's rules for session names and source identities.</summary>
public static partial class AccountRules
{
    /// <summary>The session name of the dashboard's own reads.</summary>
    public const string ReadSessionName = "kmsdashboard";

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();

    // IAM role names: 1-64 of [\w+=,.@-]; a path may precede the name in an ARN.
    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::([0-9]{12}):role/(?:[\w+=,.@/-]*/)?[\w+=,.@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnPattern();

    // STS ExternalId: 2-1224 of [\w+=,.@:/-].
    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExternalIdPattern();

    public static bool IsAccountId(string? value) => value is not null && AccountIdPattern().IsMatch(value);

    public static bool IsRoleName(string? value) => value is not null && RoleNamePattern().IsMatch(value);

    public static bool IsExternalId(string? value) => value is not null && ExternalIdPattern().IsMatch(value);

    /// <summary>The account a role ARN names, or null when <paramref name="roleArn"/> is not an IAM role ARN.</summary>
    public static string? AccountOfRoleArn(string? roleArn)
    {
        if (roleArn is null) return null;
        var match = RoleArnPattern().Match(roleArn);
        return match.Success ? match.Groups[1].Value : null;
    }

    public static string RoleArn(string accountId, string roleName, string partition = "aws") => $"arn:{partition}:iam::{accountId}:role/{roleName}";

    /// <summary>
    /// A dashboard user's name as an STS RoleSessionName / SourceIdentity: 2-64 characters of [\w+=,.@-]. Other
    /// characters become '-', so "Ada Lovelace &lt;ada@example.com&gt;" becomes "Ada-Lovelace-ada@example.com-";
    /// a name shorter than 2 characters is padded with '-', a longer one cut at 64.
    /// </summary>
    public static string SessionNameFor(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var sb = new StringBuilder(Math.Min(user.Length, 64));
        foreach (var rune in user.Trim().EnumerateRunes())
        {
            if (sb.Length == 64) break;
            var c = rune.IsBmp ? (char)rune.Value : '\0';
            sb.Append(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '+' or '=' or ',' or '.' or '@' or '-' ? c : '-');
        }
        while (sb.Length < 2) sb.Append('-');
        return sb.ToString();
    }
}
