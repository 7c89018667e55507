using System.Text.RegularExpressions;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>Alias naming: <c>alias/</c> + 1–256 characters of <c>[a-zA-Z0-9:/_-]</c>; <c>alias/aws/</c> belongs to AWS.</summary>
internal static partial class AliasRules
{
    public const string Prefix = "alias/";
    public const string AwsPrefix = "alias/aws/";

    [GeneratedRegex("^[a-zA-Z0-9:/_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();

    /// <summary>Checks a name a customer wants to create, re-point or delete.</summary>
    public static void CheckCustomerName(string name)
    {
        if (name.Length is < 1 or > 256 || !Allowed().IsMatch(name))
            throw KmsErrors.Validation("AliasName", name, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || name.Length == Prefix.Length)
            throw KmsErrors.InvalidAliasName($"Alias must start with the prefix \"{Prefix}\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        if (IsAwsReserved(name))
            throw KmsErrors.InvalidAliasName($"Alias {name} must not begin with the reserved prefix \"{AwsPrefix}\".");
    }

    public static bool IsAwsReserved(string name) => name.StartsWith(AwsPrefix, StringComparison.Ordinal);

    public static string Arn(string region, string account, string name) => $"arn:aws:kms:{region}:{account}:{name}";
}
