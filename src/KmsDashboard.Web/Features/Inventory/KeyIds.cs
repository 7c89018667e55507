using System.Text.RegularExpressions;

namespace KmsDashboard.Web.Features.Inventory;

/// <summary>Checks a key id from a URL before it is looked up.</summary>
public static partial class KeyIds
{
    [GeneratedRegex("^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Null when <paramref name="keyId"/> is a KMS key id (dashed UUID, or mrk- and 32 hex digits), else why not.</summary>
    public static string? Validate(string? keyId) =>
        string.IsNullOrWhiteSpace(keyId) ? "No key id was given."
        : Pattern().IsMatch(keyId) ? null
        : $"'{keyId}' is not a KMS key id: expected a UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab, or mrk- followed by 32 hex digits.";
}
