using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.S3.Operations;

/// <summary>PutObject, GetObject, HeadObject, CopyObject, DeleteObject, DeleteObjects.</summary>
internal static class ObjectOperations
{
    public static async Task PutObjectAsync(S3Call call)
    {
        var body = await UploadBody.ReadAsync(call.Http.Request, call.Aborted);
        var write = ObjectHeaders.ReadWrite(call, body.Checksum);
        var version = call.Store.PutObject(call.Bucket, call.ObjectKey, body.Bytes, write, call.AccessKeyId);
        call.Response.Headers.ETag = version.ETag;
        WriteWritten(call, version, write.Sse.Context is not null);
    }

    /// <summary>Decrypts through KMS (Decrypt on the reader's behalf); an unusable key fails the read with S3's KMS.* error.</summary>
    public static async Task GetObjectAsync(S3Call call)
    {
        var (bucket, version) = call.Store.Find(call.Bucket, call.ObjectKey, call.Query("versionId"));
        var part = PartRange(call, version);
        var plaintext = call.Store.Read(bucket, version, call.AccessKeyId);
        var range = part ?? Range(call.Header("Range"), plaintext.Length);
        ObjectHeaders.WriteObject(call, bucket, version);
        if (range is { } r)
        {
            call.Response.Headers.Remove("x-amz-checksum-" + version.Checksum?.Key);
            call.Response.Headers.Remove("x-amz-checksum-type");
            call.Response.StatusCode = 206;
            call.Response.Headers.ContentRange = $"bytes {r.Start}-{r.End}/{plaintext.Length}";
            call.Response.ContentLength = r.End - r.Start + 1;
            await call.Response.Body.WriteAsync(plaintext.AsMemory((int)r.Start, (int)(r.End - r.Start + 1)), call.Aborted);
            return;
        }
        call.Response.StatusCode = 200;
        call.Response.ContentLength = plaintext.Length;
        await call.Response.Body.WriteAsync(plaintext, call.Aborted);
    }

    /// <summary>Metadata only: S3 does not call KMS for HeadObject, so it answers even when the key is disabled.</summary>
    public static Task HeadObjectAsync(S3Call call)
    {
        var (bucket, version) = call.Store.Find(call.Bucket, call.ObjectKey, call.Query("versionId"));
        var part = PartRange(call, version);
        ObjectHeaders.WriteObject(call, bucket, version);
        if (part is { } p)
        {
            call.Response.StatusCode = 206;
            call.Response.Headers.ContentRange = $"bytes {p.Start}-{p.End}/{version.Size}";
            call.Response.ContentLength = p.End - p.Start + 1;
            return Task.CompletedTask;
        }
        call.Response.ContentLength = version.Size;
        return call.OkAsync();
    }

    public static async Task CopyObjectAsync(S3Call call)
    {
        var source = CopySource.Parse(call.Header("x-amz-copy-source")!);
        var directive = call.Header("x-amz-metadata-directive") ?? "COPY";
        if (directive is not ("COPY" or "REPLACE")) throw S3Errors.InvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
        var sse = ObjectHeaders.ReadSse(call);
        var (sourceBucket, sourceVersion) = call.Store.Find(source.Bucket, source.Key, source.VersionId);
        var onto = source.Bucket == call.Bucket && source.Key == call.ObjectKey;
        if (onto && directive == "COPY" && sse.IsEmpty && call.Header("x-amz-storage-class") is null && call.Header("x-amz-website-redirect-location") is null)
            throw S3Errors.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        var plaintext = call.Store.Read(sourceBucket, sourceVersion, call.AccessKeyId);
        var write = directive == "REPLACE"
            ? ObjectHeaders.ReadWrite(call, sourceVersion.Checksum)
            : new ObjectWrite(sourceVersion.ContentType, sourceVersion.Headers, sourceVersion.Metadata, sse, sourceVersion.Checksum);
        var version = call.Store.PutObject(call.Bucket, call.ObjectKey, plaintext, write, call.AccessKeyId);
        if (sourceBucket.Versioning is not null) call.Response.Headers["x-amz-copy-source-version-id"] = sourceVersion.VersionId;
        WriteWritten(call, version, sse.Context is not null);
        await S3Xml.WriteAsync(call.Response, S3Xml.E("CopyObjectResult",
            S3Xml.E("ETag", version.ETag), S3Xml.E("LastModified", S3Xml.Iso(version.LastModified))), call.Aborted);
    }

    public static Task DeleteObjectAsync(S3Call call)
    {
        var (versionId, deleteMarker) = call.Store.DeleteObject(call.Bucket, call.ObjectKey, call.Query("versionId"));
        if (deleteMarker) call.Response.Headers["x-amz-delete-marker"] = "true";
        if (versionId is not null) call.Response.Headers["x-amz-version-id"] = versionId;
        return call.NoContentAsync();
    }

    public static async Task DeleteObjectsAsync(S3Call call)
    {
        var root = S3Xml.Parse(await call.ReadBodyAsync());
        if (root.Name.LocalName != "Delete") throw S3Errors.MalformedXml();
        var quiet = string.Equals(root.ChildValue("Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var objects = root.Children("Object").ToList();
        if (objects.Count is 0 or > 1000) throw S3Errors.MalformedXml();
        lock (call.Store.Gate) call.Store.Bucket(call.Bucket);
        var results = new List<object>();
        foreach (var item in objects)
        {
            var key = item.ChildValue("Key") ?? throw S3Errors.MalformedXml();
            var requested = item.ChildValue("VersionId");
            try
            {
                var (versionId, deleteMarker) = call.Store.DeleteObject(call.Bucket, key, requested);
                if (quiet) continue;
                results.Add(S3Xml.E("Deleted", S3Xml.E("Key", key),
                    requested is not null ? S3Xml.E("VersionId", requested) : null,
                    deleteMarker ? S3Xml.E("DeleteMarker", "true") : null,
                    deleteMarker && requested is null ? S3Xml.E("DeleteMarkerVersionId", versionId) : null));
            }
            catch (S3Exception ex) when (ex.Code != "NoSuchBucket")
            {
                results.Add(S3Xml.E("Error", S3Xml.E("Key", key), requested is null ? null : S3Xml.E("VersionId", requested),
                    S3Xml.E("Code", ex.Code), S3Xml.E("Message", ex.Message)));
            }
        }
        await S3Xml.WriteAsync(call.Response, S3Xml.E("DeleteResult", results), call.Aborted);
    }

    /// <summary>Headers of a write's answer: version id, SSE (the key as a full ARN), checksum, replication status.</summary>
    public static void WriteWritten(S3Call call, S3ObjectVersion version, bool includeContext)
    {
        ObjectHeaders.WriteSse(call.Response, version.Encryption, includeContext);
        if (version.VersionId != S3ObjectVersion.NullVersion) call.Response.Headers["x-amz-version-id"] = version.VersionId;
        if (version.Checksum is { } checksum) call.Response.Headers["x-amz-checksum-" + checksum.Key] = checksum.Value;
    }

    /// <summary>
    /// The bytes of part <c>partNumber</c> (the parts of a multipart object are its sealed segments; any other object
    /// is one part), or null when no part was asked for. A part beyond the last is 416 InvalidPartNumber.
    /// </summary>
    private static (long Start, long End)? PartRange(S3Call call, S3ObjectVersion version)
    {
        var text = call.Query("partNumber");
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 10_000)
            throw S3Errors.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", text);
        var sizes = version.PartsCount is null ? [version.Size] : version.Body!.Segments.Select(segment => (long)segment.Ciphertext.Length).ToList();
        if (number > sizes.Count) throw new S3Exception("InvalidPartNumber", "The requested partnumber is not satisfiable", 416);
        var start = sizes.Take(number - 1).Sum();
        return (start, start + sizes[number - 1] - 1);
    }

    /// <summary>
    /// One byte range (<c>bytes=a-b</c>, <c>bytes=a-</c>, <c>bytes=-n</c>); anything else is ignored and the whole object
    /// sent, as S3 does; a range starting past the end is 416 InvalidRange.
    /// </summary>
    public static (long Start, long End)? Range(string? header, long size)
    {
        if (header is null || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal)) return null;
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) return null;
        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix)) return null;
            if (suffix == 0 || size == 0) throw S3Errors.InvalidRange(header, size);
            return (Math.Max(0, size - suffix), size - 1);
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        var end = size - 1;
        if (last.Length > 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end)) return null;
            if (end < start) return null;
            end = Math.Min(end, size - 1);
        }
        if (start >= size) throw S3Errors.InvalidRange(header, size);
        return (start, end);
    }
}
