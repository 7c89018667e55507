using System.Text.RegularExpressions;
using KmsDashboard.Core.Aws;

namespace KmsDashboard.Core.Actions;

/// <summary>
/// Input checks made before any AWS call. Each returns null when the input is fine, else a message saying what is wrong.
/// </summary>
public static partial class KeyInputRules
{
    public const int MinPendingWindowDays = 7, MaxPendingWindowDays = 30, DefaultPendingWindowDays = 30;
    public const int MinRotationPeriodDays = 90, MaxRotationPeriodDays = 2560, DefaultRotationPeriodDays = 365;
    public const int MaxOnDemandRotations = 25;
    public const int MaxDescriptionLength = 8192;
    public const int MaxAliasLength = 256;

    [GeneratedRegex("^mrk-[0-9a-f]{32}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex MultiRegionKeyId();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SingleRegionKeyId();

    [GeneratedRegex("^arn:aws[a-z-]*:kms:(?<region>[a-z0-9-]+):(?<account>[0-9]{12}):key/(?<id>.+)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyArn();

    // Any ARN's six parts, so a wrong one is named rather than the whole ARN refused.
    [GeneratedRegex("^arn:(?<partition>[^:]*):(?<service>[^:]*):(?<region>[^:]*):(?<account>[^:]*):(?<resource>.*)\\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex AnyArn();

    // AWS's tag pattern: Unicode letters, separators (whitespace), digits and _ . : / = + - @.
    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagText();

    public const int MaxTagKeyLength = 128, MaxTagValueLength = 256, MaxTags = 50;

    [GeneratedRegex("^alias/[a-zA-Z0-9:/_-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasName();

    public static bool IsMultiRegionKeyId(string? keyId) => keyId is not null && MultiRegionKeyId().IsMatch(keyId);

    /// <summary>A key id: <c>mrk-</c> and 32 lower-case hex digits (multi-Region), or a dashed UUID (single-Region).</summary>
    public static string? CheckKeyId(string? keyId)
    {
        if (string.IsNullOrWhiteSpace(keyId)) return "A key id is required.";
        if (keyId.StartsWith("arn:", StringComparison.Ordinal)) return CheckKeyArn(keyId);
        if (keyId.StartsWith("alias/", StringComparison.Ordinal)) return $"'{keyId}' is an alias; give the key id (mrk-… or a UUID) it points at.";
        if (MultiRegionKeyId().IsMatch(keyId) || SingleRegionKeyId().IsMatch(keyId)) return null;
        if (keyId.StartsWith("mrk-", StringComparison.OrdinalIgnoreCase))
            return $"'{keyId}' is not a multi-Region key id: it must be 'mrk-' followed by 32 lower-case hexadecimal digits.";
        return $"'{keyId}' is not a key id: expected 'mrk-' and 32 hexadecimal digits, or a UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab.";
    }

    /// <summary>
    /// A key ARN, every part checked: <c>arn:&lt;partition&gt;:kms:&lt;region&gt;:&lt;12-digit account&gt;:key/&lt;key id&gt;</c>,
    /// the partition the Region's own (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>, …). The account is checked against the
    /// backend's by <see cref="CheckArnAccount"/>.
    /// </summary>
    public static string? CheckKeyArn(string? arn)
    {
        if (string.IsNullOrWhiteSpace(arn)) return "A key ARN is required.";
        const string expected = "expected arn:aws:kms:<region>:<12-digit account>:key/<key id>.";
        var parts = AnyArn().Match(arn);
        if (!parts.Success) return $"'{arn}' is not a KMS key ARN: {expected}";
        var (partition, service, region, account, resource) = (parts.Groups["partition"].Value, parts.Groups["service"].Value,
            parts.Groups["region"].Value, parts.Groups["account"].Value, parts.Groups["resource"].Value);
        if (service != "kms") return $"'{arn}' is not a KMS key ARN: its service is '{service}', not 'kms'.";
        if (!BackendOptions.IsRegionName(region)) return $"The ARN's Region '{region}' is not an AWS Region name.";
        if (partition != PartitionOf(region))
            return $"'{arn}' is not a KMS key ARN: Region {region} is in partition '{PartitionOf(region)}', not '{partition}'.";
        if (account.Length != 12 || !account.All(char.IsAsciiDigit)) return $"'{arn}' is not a KMS key ARN: the account '{account}' is not 12 digits.";
        if (resource.StartsWith("alias/", StringComparison.Ordinal)) return $"'{arn}' is an alias ARN; give the key's ARN (…:key/<key id>) or its id.";
        if (!resource.StartsWith("key/", StringComparison.Ordinal)) return $"'{arn}' is not a KMS key ARN: the resource must be key/<key id>, not '{resource}'.";
        var id = resource["key/".Length..];
        if (id.StartsWith("arn:", StringComparison.Ordinal) || id.Contains('/')) return $"'{arn}' is not a KMS key ARN: {expected}";
        return CheckKeyId(id) is { } problem ? $"In the ARN: {problem}" : null;
    }

    /// <summary>The ARN partition a Region belongs to (<c>cn-north-1</c> → <c>aws-cn</c>).</summary>
    public static string PartitionOf(string region) => region switch
    {
        _ when region.StartsWith("cn-", StringComparison.Ordinal) => "aws-cn",
        _ when region.StartsWith("us-gov-", StringComparison.Ordinal) => "aws-us-gov",
        _ when region.StartsWith("us-isob-", StringComparison.Ordinal) => "aws-iso-b",
        _ when region.StartsWith("us-isof-", StringComparison.Ordinal) => "aws-iso-f",
        _ when region.StartsWith("eu-isoe-", StringComparison.Ordinal) => "aws-iso-e",
        _ when region.StartsWith("us-iso-", StringComparison.Ordinal) => "aws-iso",
        _ => "aws",
    };

    /// <summary>The account of a key ARN (null for a bare key id); call after the checks pass.</summary>
    public static string? AccountOf(string keyIdOrArn) => KeyArn().Match(keyIdOrArn) is { Success: true } m ? m.Groups["account"].Value : null;

    /// <summary>
    /// A key ARN must name the backend's own account: the dashboard acts in one account, and a key another account shared
    /// would otherwise be changed from here. <paramref name="backendAccount"/> null: not known yet.
    /// </summary>
    public static string? CheckArnAccount(string arnAccount, string? backendAccount) =>
        backendAccount is null
            ? $"The ARN names account {arnAccount}, but the dashboard's account is not known yet (no key has been read); give the key id instead."
            : arnAccount != backendAccount
                ? $"The ARN names account {arnAccount}, but the dashboard works in account {backendAccount}: keys of other accounts are not changed from here."
                : null;

    /// <summary>Splits a key id or key ARN into its Region (null for a bare id) and key id; call after the checks pass.</summary>
    public static (string? Region, string KeyId) Parse(string keyIdOrArn)
    {
        var match = KeyArn().Match(keyIdOrArn);
        return match.Success ? (match.Groups["region"].Value, match.Groups["id"].Value) : (null, keyIdOrArn);
    }

    /// <summary>An alias name: <c>alias/</c> then 1–250 of <c>a-zA-Z0-9:/_-</c>, 256 characters in all, not under <c>alias/aws/</c>.</summary>
    public static string? CheckAliasName(string? alias)
    {
        if (string.IsNullOrWhiteSpace(alias)) return "An alias name is required.";
        if (!alias.StartsWith("alias/", StringComparison.Ordinal)) return $"'{alias}' must start with 'alias/'.";
        if (alias.Length == "alias/".Length) return "The alias needs a name after 'alias/'.";
        if (alias.Length > MaxAliasLength) return $"The alias has {alias.Length} characters; at most {MaxAliasLength} are allowed.";
        if (!AliasName().IsMatch(alias))
        {
            var bad = alias["alias/".Length..].First(c => !(char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '_' or '-'));
            return $"'{alias}' holds '{bad}': an alias may hold only letters, digits and : / _ -.";
        }
        if (alias.StartsWith("alias/aws/", StringComparison.OrdinalIgnoreCase)) return "Aliases under 'alias/aws/' are reserved for AWS managed keys.";
        return null;
    }

    /// <summary>A Region name such as eu-west-1, and one the dashboard is configured for.</summary>
    public static string? CheckRegion(string? region, IReadOnlyCollection<string> configuredRegions)
    {
        if (string.IsNullOrWhiteSpace(region)) return "A Region is required.";
        if (!BackendOptions.IsRegionName(region)) return $"'{region}' is not an AWS Region name such as us-east-1.";
        if (!configuredRegions.Contains(region)) return $"Region {region} is not one of the dashboard's Regions ({string.Join(", ", configuredRegions)}).";
        return null;
    }

    /// <summary>A deletion waiting period of 7 to 30 days.</summary>
    public static string? CheckPendingWindow(int days) =>
        days is < MinPendingWindowDays or > MaxPendingWindowDays
            ? $"The waiting period must be {MinPendingWindowDays} to {MaxPendingWindowDays} days; {days} was given."
            : null;

    /// <summary>An automatic rotation period of 90 to 2560 days.</summary>
    public static string? CheckRotationPeriod(int days) =>
        days is < MinRotationPeriodDays or > MaxRotationPeriodDays
            ? $"The rotation period must be {MinRotationPeriodDays} to {MaxRotationPeriodDays} days; {days} was given."
            : null;

    public static string? CheckDescription(string? description) =>
        description is { Length: > MaxDescriptionLength } ? $"The description has {description.Length} characters; at most {MaxDescriptionLength} are allowed." : null;

    /// <summary>
    /// Reads tags written one <c>key=value</c> a line (blank lines skipped, each side trimmed); null when they read,
    /// else what is wrong. <see cref="CheckTags"/> then checks the keys and values themselves.
    /// </summary>
    public static string? ParseTagLines(string? text, out Dictionary<string, string> tags)
    {
        tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in (text ?? "").Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) return $"Line {lineNumber} (\"{line}\") is not key=value.";
            var key = line[..equals].Trim();
            if (!tags.TryAdd(key, line[(equals + 1)..].Trim())) return $"The tag key '{key}' appears twice.";
        }
        return null;
    }

    /// <summary>
    /// At most 50 tags; keys 1–128 characters, not starting with <c>aws:</c>; values 0–256 characters; both only Unicode
    /// letters, digits, whitespace and <c>_ . : / = + - @</c> (AWS's tag pattern).
    /// </summary>
    public static string? CheckTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null) return null;
        if (tags.Count > MaxTags) return $"A key can hold at most {MaxTags} tags; {tags.Count} were given.";
        foreach (var (key, value) in tags)
        {
            if (string.IsNullOrWhiteSpace(key)) return "A tag key cannot be empty.";
            if (key.Length > MaxTagKeyLength) return $"The tag key '{key[..20]}…' is longer than {MaxTagKeyLength} characters.";
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) return $"The tag key '{key}' starts with 'aws:', which AWS reserves.";
            if (!TagText().IsMatch(key)) return $"The tag key '{key}' holds {Printable(FirstBadTagCharacter(key))}: {TagCharacters}";
            if (value is null) return $"The tag '{key}' has no value (use an empty value instead).";
            if (value.Length > MaxTagValueLength) return $"The value of tag '{key}' is longer than {MaxTagValueLength} characters.";
            if (!TagText().IsMatch(value)) return $"The value of tag '{key}' holds {Printable(FirstBadTagCharacter(value))}: {TagCharacters}";
        }
        return null;
    }

    private const string TagCharacters = "tag keys and values may hold only letters, digits, spaces and _ . : / = + - @.";

    private static string FirstBadTagCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var one = char.IsSurrogatePair(text, i) ? text.Substring(i, 2) : text[i].ToString();
            if (!TagText().IsMatch(one)) return one;
            i += one.Length - 1;
        }
        return "";
    }

    /// <summary>A character named so it can be read in a message, control characters included.</summary>
    private static string Printable(string character) =>
        character.Length == 1 && (char.IsControl(character[0]) || char.IsWhiteSpace(character[0]))
            ? $"the character U+{(int)character[0]:X4}"
            : $"'{character}'";
}
