using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.S3;

/// <summary>Object headers both ways: what a write sends (metadata, SSE, standard headers) and what reads answer.</summary>
internal static class ObjectHeaders
{
    private const string MetaPrefix = "x-amz-meta-";
    private static readonly string[] Stored = ["Content-Disposition", "Content-Language", "Cache-Control", "Expires"];

    /// <summary>Content-Type, stored standard headers, user metadata and SSE headers of a write.</summary>
    public static ObjectWrite ReadWrite(S3Call call, KeyValuePair<string, string>? checksum = null) =>
        new(call.Header("Content-Type") is { Length: > 0 } type ? type : "binary/octet-stream", StandardHeaders(call.Http.Request),
            Metadata(call.Http.Request), ReadSse(call), checksum);

    public static Dictionary<string, string> StandardHeaders(HttpRequest request)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Stored)
            if (request.Headers.TryGetValue(name, out var value) && value.Count > 0) headers[name] = value.ToString();
        // aws-chunked describes the transfer, not the object: S3 drops it from the stored Content-Encoding.
        var encoding = string.Join(",", request.Headers.ContentEncoding.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
        if (encoding.Length > 0) headers["Content-Encoding"] = encoding;
        return headers;
    }

    public static Dictionary<string, string> Metadata(HttpRequest request)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Headers)
            if (name.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > MetaPrefix.Length)
                metadata[name[MetaPrefix.Length..].ToLowerInvariant()] = value.ToString();
        if (metadata.Sum(m => m.Key.Length + m.Value.Length) > 2048)
            throw new S3Exception("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", 400).With("MaxSizeAllowed", "2048");
        return metadata;
    }

    public static SseRequest ReadSse(S3Call call)
    {
        var algorithm = call.Header("x-amz-server-side-encryption");
        var keyId = call.Header("x-amz-server-side-encryption-aws-kms-key-id");
        bool? bucketKey = call.Header("x-amz-server-side-encryption-bucket-key-enabled") switch
        {
            null => null,
            var text when bool.TryParse(text, out var value) => value,
            var text => throw S3Errors.InvalidArgument("The x-amz-server-side-encryption-bucket-key-enabled header must be true or false.",
                "x-amz-server-side-encryption-bucket-key-enabled", text),
        };
        var contextHeader = call.Header("x-amz-server-side-encryption-context");
        Dictionary<string, string>? context = null;
        if (contextHeader is not null)
        {
            const string Rule = "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map";
            try
            {
                context = JsonSerializer.Deserialize<Dictionary<string, string>>(Encoding.UTF8.GetString(Convert.FromBase64String(contextHeader)))
                          ?? throw S3Errors.InvalidArgument(Rule, "x-amz-server-side-encryption-context", contextHeader);
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                throw S3Errors.InvalidArgument(Rule, "x-amz-server-side-encryption-context", contextHeader);
            }
        }
        return new SseRequest(algorithm, string.IsNullOrEmpty(keyId) ? null : keyId, bucketKey, context);
    }

    /// <summary>x-amz-server-side-encryption, the key as a full ARN, Bucket Key use (and the context on writes).</summary>
    public static void WriteSse(HttpResponse response, ObjectEncryption? encryption, bool includeContext = false)
    {
        if (encryption is null) return;
        response.Headers["x-amz-server-side-encryption"] = encryption.Algorithm;
        if (!encryption.IsKms) return;
        response.Headers["x-amz-server-side-encryption-aws-kms-key-id"] = encryption.KmsKeyArn;
        if (encryption.BucketKeyEnabled) response.Headers["x-amz-server-side-encryption-bucket-key-enabled"] = "true";
        if (includeContext)
            response.Headers["x-amz-server-side-encryption-context"] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(encryption.Context));
    }

    /// <summary>The headers HeadObject and GetObject answer for a version.</summary>
    public static void WriteObject(S3Call call, S3Bucket bucket, S3ObjectVersion version)
    {
        var headers = call.Response.Headers;
        headers.ETag = version.ETag;
        headers.LastModified = S3Xml.Http(version.LastModified);
        headers.AcceptRanges = "bytes";
        call.Response.ContentType = version.ContentType;
        foreach (var (name, value) in version.Headers) headers[name] = value;
        foreach (var (name, value) in version.Metadata) headers["x-amz-meta-" + name] = value;
        WriteSse(call.Response, version.Encryption);
        if (bucket.Versioning is not null) headers["x-amz-version-id"] = version.VersionId;
        if (version.ReplicationStatus is not null) headers["x-amz-replication-status"] = version.ReplicationStatus;
        if (version.PartsCount is { } parts && call.Query("partNumber") is not null) headers["x-amz-mp-parts-count"] = parts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (version.Checksum is { } checksum && string.Equals(call.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase))
        {
            headers["x-amz-checksum-" + checksum.Key] = checksum.Value;
            headers["x-amz-checksum-type"] = "FULL_OBJECT";
        }
    }
}
