namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// One page of a listing: current (non-delete-marker) objects and common prefixes in key order, each counting once
/// towards max-keys; <see cref="Last"/> is where the next page starts (after a key, or after every key under a prefix).
/// </summary>
internal sealed record ListPage(List<S3ObjectVersion> Contents, List<string> CommonPrefixes, bool IsTruncated, string? Last, bool LastIsPrefix)
{
    /// <summary>Caller holds the store's lock.</summary>
    public static ListPage Collect(S3Bucket bucket, string prefix, string? delimiter, string? after, bool afterIsPrefix, int maxKeys)
    {
        var contents = new List<S3ObjectVersion>();
        var prefixes = new List<string>();
        string? last = null;
        var lastIsPrefix = false;
        var count = 0;
        if (bucket.Keys.Count == 0) return new ListPage(contents, prefixes, false, null, false);
        var start = after is not null && string.CompareOrdinal(after, prefix) > 0 ? after : prefix;
        if (string.CompareOrdinal(start, bucket.Keys.Max) > 0) return new ListPage(contents, prefixes, false, null, false);
        foreach (var key in bucket.Keys.GetViewBetween(start, bucket.Keys.Max!))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (string.CompareOrdinal(key, prefix) > 0) break;
                continue;
            }
            if (after is not null && (string.CompareOrdinal(key, after) <= 0 || (afterIsPrefix && key.StartsWith(after, StringComparison.Ordinal)))) continue;
            var latest = bucket.Latest(key);
            if (latest is null || latest.IsDeleteMarker) continue;
            if (!string.IsNullOrEmpty(delimiter))
            {
                var index = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (index >= 0)
                {
                    var common = key[..(index + delimiter.Length)];
                    if (lastIsPrefix && common == last) continue;
                    if (count == maxKeys) return new ListPage(contents, prefixes, true, last, lastIsPrefix);
                    prefixes.Add(common);
                    (last, lastIsPrefix) = (common, true);
                    count++;
                    continue;
                }
            }
            if (count == maxKeys) return new ListPage(contents, prefixes, true, last, lastIsPrefix);
            contents.Add(latest);
            (last, lastIsPrefix) = (key, false);
            count++;
        }
        return new ListPage(contents, prefixes, false, last, lastIsPrefix);
    }
}
