using System.Text;

namespace KmsDashboard.Sandbox.Kms;

/// <summary>
/// KMS paging: <c>Limit</c>, <c>Marker</c> in, <c>NextMarker</c> and <c>Truncated</c> out. The marker is an opaque
/// cursor (the sort key of the last item served); NextMarker is omitted on the last page, as the SDK paginators expect.
/// </summary>
internal static class Paging
{
    public sealed record Page<T>(IReadOnlyList<T> Items, string? NextMarker)
    {
        public bool Truncated => NextMarker is not null;
    }

    public static Page<T> Take<T>(IEnumerable<T> items, Func<T, string> sortKey, int? limit, int maxLimit, int defaultLimit, string? marker)
    {
        var size = limit ?? defaultLimit;
        if (size < 1 || size > maxLimit)
            throw KmsErrors.Validation("Limit", size, $"Member must have value {(size < 1 ? "greater than or equal to 1" : $"less than or equal to {maxLimit}")}");
        var after = marker is null ? null : Decode(marker);
        var ordered = items.OrderBy(sortKey, StringComparer.Ordinal).Where(i => after is null || string.CompareOrdinal(sortKey(i), after) > 0).ToList();
        var page = ordered.Take(size).ToList();
        return new Page<T>(page, ordered.Count > size ? Encode(sortKey(page[^1])) : null);
    }

    private static string Encode(string cursor) => Convert.ToBase64String(Encoding.UTF8.GetBytes("sbx1:" + cursor));

    private static string Decode(string marker)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(marker));
            return text.StartsWith("sbx1:", StringComparison.Ordinal) ? text[5..] : throw KmsErrors.InvalidMarker();
        }
        catch (FormatException)
        {
            throw KmsErrors.InvalidMarker();
        }
    }
}
