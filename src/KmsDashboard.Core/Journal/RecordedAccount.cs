using System.Text.Json;

namespace KmsDashboard.Core.Journal;

/// <summary>
/// The account a journal entry or an approval request was about, as its JSON recorded it: the top-level <c>Account</c>
/// (any case) of the request (<see cref="JournalEntry.Inputs"/>, an approval's inputs) or of the plan. Key actions,
/// runbooks, wizards and drills record it when the key is not in the default account; entries that do not (the
/// default account, and entries older than several accounts) give "", which links to the key as before.
/// </summary>
public static class RecordedAccount
{
    public static string Of(params string?[] documents)
    {
        foreach (var json in documents)
        {
            if (string.IsNullOrWhiteSpace(json)) continue;
            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object) continue;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.NameEquals("Account") || property.Name.Equals("account", StringComparison.OrdinalIgnoreCase))
                    {
                        if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } account) return account;
                        // An account object (a runbook's inputs): its id.
                        if (property.Value.ValueKind == JsonValueKind.Object
                            && property.Value.TryGetProperty("Id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } accountId)
                            return accountId;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON (a hand-edited entry): nothing recorded.
            }
        }
        return "";
    }

    /// <summary>The key page's address for a key of a recorded entry: its Region and, when recorded, its account (the key id
    /// as recorded, as the pages link it).</summary>
    public static string KeyHref(string keyId, string region, string account)
    {
        var query = new List<string>();
        if (region.Length > 0) query.Add("region=" + Uri.EscapeDataString(region));
        if (account.Length > 0) query.Add("account=" + Uri.EscapeDataString(account));
        return $"keys/{keyId}" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
    }
}
