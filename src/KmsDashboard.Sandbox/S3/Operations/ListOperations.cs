using System.Text;
using System.Xml.Linq;

namespace KmsDashboard.Sandbox.S3.Operations;

/// <summary>ListObjectsV2 and ListObjects (V1): prefix, delimiter, CommonPrefixes, paging of up to 1,000 keys, encoding-type=url.</summary>
internal static class ListOperations
{
    private const int MaxKeys = 1000;

    public static async Task ListObjectsV2Async(S3Call call)
    {
        var (prefix, delimiter, encode, max) = Common(call);
        var token = call.Query("continuation-token");
        var startAfter = call.Query("start-after");
        var (after, afterIsPrefix) = (startAfter, false);
        if (token is not null) (after, afterIsPrefix) = ReadToken(token);
        ListPage page;
        lock (call.Store.Gate) page = ListPage.Collect(call.Store.Bucket(call.Bucket), prefix, delimiter, after, afterIsPrefix, max);
        var fetchOwner = string.Equals(call.Query("fetch-owner"), "true", StringComparison.OrdinalIgnoreCase);
        await S3Xml.WriteAsync(call.Response, S3Xml.E("ListBucketResult",
            S3Xml.E("Name", call.Bucket),
            S3Xml.E("Prefix", Encode(prefix, encode)),
            delimiter is null ? null : S3Xml.E("Delimiter", Encode(delimiter, encode)),
            S3Xml.E("MaxKeys", max),
            encode ? S3Xml.E("EncodingType", "url") : null,
            S3Xml.E("KeyCount", page.Contents.Count + page.CommonPrefixes.Count),
            S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"),
            token is null ? null : S3Xml.E("ContinuationToken", token),
            page.IsTruncated && page.Last is not null ? S3Xml.E("NextContinuationToken", WriteToken(page.Last!, page.LastIsPrefix)) : null,
            startAfter is null ? null : S3Xml.E("StartAfter", Encode(startAfter, encode)),
            Items(page, encode, fetchOwner)), call.Aborted);
    }

    public static async Task ListObjectsAsync(S3Call call)
    {
        var (prefix, delimiter, encode, max) = Common(call);
        var marker = call.Query("marker");
        var afterIsPrefix = marker is not null && !string.IsNullOrEmpty(delimiter) && marker.EndsWith(delimiter, StringComparison.Ordinal);
        ListPage page;
        lock (call.Store.Gate) page = ListPage.Collect(call.Store.Bucket(call.Bucket), prefix, delimiter, marker, afterIsPrefix, max);
        await S3Xml.WriteAsync(call.Response, S3Xml.E("ListBucketResult",
            S3Xml.E("Name", call.Bucket),
            S3Xml.E("Prefix", Encode(prefix, encode)),
            S3Xml.E("Marker", Encode(marker ?? "", encode)),
            page.IsTruncated && page.Last is not null && !string.IsNullOrEmpty(delimiter) ? S3Xml.E("NextMarker", Encode(page.Last!, encode)) : null,
            S3Xml.E("MaxKeys", max),
            delimiter is null ? null : S3Xml.E("Delimiter", Encode(delimiter, encode)),
            encode ? S3Xml.E("EncodingType", "url") : null,
            S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"),
            Items(page, encode, fetchOwner: true)), call.Aborted);
    }

    private static (string Prefix, string? Delimiter, bool Encode, int Max) Common(S3Call call)
    {
        var encoding = call.Query("encoding-type");
        if (encoding is not null && encoding != "url") throw S3Errors.InvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", encoding);
        var delimiter = call.Query("delimiter");
        return (call.Query("prefix") ?? "", string.IsNullOrEmpty(delimiter) ? null : delimiter, encoding == "url", call.IntQuery("max-keys", 0, MaxKeys) ?? MaxKeys);
    }

    private static IEnumerable<XElement> Items(ListPage page, bool encode, bool fetchOwner) =>
        page.Contents.Select(v => S3Xml.E("Contents",
                S3Xml.E("Key", Encode(v.Key, encode)),
                S3Xml.E("LastModified", S3Xml.Iso(v.LastModified)),
                S3Xml.E("ETag", v.ETag),
                v.Checksum is { } checksum ? S3Xml.E("ChecksumAlgorithm", checksum.Key.ToUpperInvariant()) : null,
                v.Checksum is not null ? S3Xml.E("ChecksumType", "FULL_OBJECT") : null,
                S3Xml.E("Size", v.Size),
                S3Xml.E("StorageClass", "STANDARD"),
                fetchOwner ? S3Xml.E("Owner", S3Xml.E("ID", BucketOperations.OwnerId), S3Xml.E("DisplayName", "sandbox")) : null))
            .Concat(page.CommonPrefixes.Select(p => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", Encode(p, encode)))));

    /// <summary>encoding-type=url: percent-encoded as S3 does ('/' kept), so a client's unquote gives the key back.</summary>
    private static string Encode(string value, bool encode) => encode ? Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal) : value;

    private static string WriteToken(string last, bool isPrefix) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes((isPrefix ? "p" : "k") + last));

    private static (string After, bool IsPrefix) ReadToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.Length > 1 && text[0] is 'p' or 'k') return (text[1..], text[0] == 'p');
        }
        catch (FormatException)
        {
        }
        throw S3Errors.InvalidArgument("The continuation token provided is incorrect", "continuation-token", token);
    }
}
