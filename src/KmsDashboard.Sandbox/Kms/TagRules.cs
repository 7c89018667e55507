namespace KmsDashboard.Sandbox.Kms;

/// <summary>Tag keys 1–128 characters, values 0–256, at most 50 per key, <c>aws:</c> reserved.</summary>
internal static class TagRules
{
    public const int MaxTagsPerKey = 50;

    public static void Check(string key, string value)
    {
        if (key.Length is < 1 or > 128) throw KmsErrors.Validation("TagKey", key, "Member must have length between 1 and 128");
        if (value.Length > 256) throw KmsErrors.Validation("TagValue", value, "Member must have length less than or equal to 256");
        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) throw KmsErrors.Tag("Tag keys beginning with 'aws:' are reserved for AWS use.");
    }

    public static void Apply(KmsKey key, IEnumerable<KeyValuePair<string, string>> tags)
    {
        var list = tags.ToList();
        var added = list.Select(t => t.Key).Where(k => !key.Tags.ContainsKey(k)).Distinct(StringComparer.Ordinal).Count();
        if (key.Tags.Count + added > MaxTagsPerKey) throw KmsErrors.LimitExceeded($"A key can have at most {MaxTagsPerKey} tags.");
        foreach (var (k, v) in list) key.Tags[k] = v;
    }
}
