using System.Globalization;

namespace KmsDashboard.Sandbox.S3.Operations;

/// <summary>
/// CreateMultipartUpload (GenerateDataKey once), UploadPart and UploadPartCopy (Decrypt of the upload's data key per part,
/// as S3 needs kms:Decrypt for them), CompleteMultipartUpload (ETag "md5-of-md5s-N"), AbortMultipartUpload, ListParts,
/// ListMultipartUploads.
/// </summary>
internal static class MultipartOperations
{
    public static async Task CreateMultipartUploadAsync(S3Call call)
    {
        var write = ObjectHeaders.ReadWrite(call);
        if (call.Header("x-amz-checksum-algorithm") is { } algorithm && !Checksums.IsKnown(algorithm.ToLowerInvariant()))
            throw S3Errors.InvalidArgument("Checksum algorithm provided is unsupported.", "x-amz-checksum-algorithm", algorithm);
        var upload = call.Store.CreateUpload(call.Bucket, call.ObjectKey, write, call.AccessKeyId);
        ObjectHeaders.WriteSse(call.Response, upload.Encryption, write.Sse.Context is not null);
        await S3Xml.WriteAsync(call.Response, S3Xml.E("InitiateMultipartUploadResult",
            S3Xml.E("Bucket", call.Bucket), S3Xml.E("Key", call.ObjectKey), S3Xml.E("UploadId", upload.UploadId)), call.Aborted);
    }

    public static async Task UploadPartAsync(S3Call call)
    {
        var partNumber = PartNumber(call);
        var body = await UploadBody.ReadAsync(call.Http.Request, call.Aborted);
        var part = call.Store.UploadPart(call.Bucket, call.ObjectKey, call.Query("uploadId")!, partNumber, body.Bytes, call.AccessKeyId);
        call.Response.Headers.ETag = part.ETag;
        if (body.Checksum is { } checksum) call.Response.Headers["x-amz-checksum-" + checksum.Key] = checksum.Value;
        var (_, upload) = call.Store.FindUpload(call.Bucket, call.ObjectKey, call.Query("uploadId")!);
        ObjectHeaders.WriteSse(call.Response, upload.Encryption);
    }

    public static async Task UploadPartCopyAsync(S3Call call)
    {
        var partNumber = PartNumber(call);
        var source = CopySource.Parse(call.Header("x-amz-copy-source")!);
        var (sourceBucket, sourceVersion) = call.Store.Find(source.Bucket, source.Key, source.VersionId);
        var plaintext = call.Store.Read(sourceBucket, sourceVersion, call.AccessKeyId);
        var slice = plaintext.AsSpan();
        if (call.Header("x-amz-copy-source-range") is { } range)
        {
            var bounds = ObjectOperations.Range(range, plaintext.Length)
                         ?? throw S3Errors.InvalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
                             "x-amz-copy-source-range", range);
            slice = slice[(int)bounds.Start..(int)(bounds.End + 1)];
        }
        var part = call.Store.UploadPart(call.Bucket, call.ObjectKey, call.Query("uploadId")!, partNumber, slice, call.AccessKeyId);
        if (sourceBucket.Versioning is not null) call.Response.Headers["x-amz-copy-source-version-id"] = sourceVersion.VersionId;
        await S3Xml.WriteAsync(call.Response, S3Xml.E("CopyPartResult",
            S3Xml.E("ETag", part.ETag), S3Xml.E("LastModified", S3Xml.Iso(part.LastModified))), call.Aborted);
    }

    public static async Task CompleteMultipartUploadAsync(S3Call call)
    {
        var root = S3Xml.Parse(await call.ReadBodyAsync());
        if (root.Name.LocalName != "CompleteMultipartUpload") throw S3Errors.MalformedXml();
        var parts = root.Children("Part").Select(p => (
            int.TryParse(p.ChildValue("PartNumber"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw S3Errors.MalformedXml(),
            p.ChildValue("ETag") ?? throw S3Errors.MalformedXml())).ToList();
        var version = call.Store.CompleteUpload(call.Bucket, call.ObjectKey, call.Query("uploadId")!, parts);
        ObjectOperations.WriteWritten(call, version, includeContext: false);
        await S3Xml.WriteAsync(call.Response, S3Xml.E("CompleteMultipartUploadResult",
            S3Xml.E("Location", $"{call.Http.Request.Scheme}://{call.Http.Request.Host}/{call.Bucket}/{Uri.EscapeDataString(call.ObjectKey)}"),
            S3Xml.E("Bucket", call.Bucket), S3Xml.E("Key", call.ObjectKey), S3Xml.E("ETag", version.ETag)), call.Aborted);
    }

    public static Task AbortMultipartUploadAsync(S3Call call)
    {
        call.Store.AbortUpload(call.Bucket, call.ObjectKey, call.Query("uploadId")!);
        return call.NoContentAsync();
    }

    public static async Task ListPartsAsync(S3Call call)
    {
        var (_, upload) = call.Store.FindUpload(call.Bucket, call.ObjectKey, call.Query("uploadId")!);
        var max = call.IntQuery("max-parts", 0, 1000) ?? 1000;
        var marker = call.IntQuery("part-number-marker", 0, 10_000) ?? 0;
        List<MultipartUpload.UploadedPart> parts;
        lock (call.Store.Gate) parts = [.. upload.Parts.Values.Where(p => p.Number > marker)];
        var page = parts.Take(max).ToList();
        await S3Xml.WriteAsync(call.Response, S3Xml.E("ListPartsResult",
            S3Xml.E("Bucket", call.Bucket), S3Xml.E("Key", call.ObjectKey), S3Xml.E("UploadId", upload.UploadId),
            S3Xml.E("PartNumberMarker", marker),
            S3Xml.E("NextPartNumberMarker", page.Count > 0 ? page[^1].Number : marker),
            S3Xml.E("MaxParts", max),
            S3Xml.E("IsTruncated", parts.Count > page.Count ? "true" : "false"),
            S3Xml.E("StorageClass", "STANDARD"),
            page.Select(p => S3Xml.E("Part", S3Xml.E("PartNumber", p.Number), S3Xml.E("LastModified", S3Xml.Iso(p.LastModified)),
                S3Xml.E("ETag", p.ETag), S3Xml.E("Size", p.Size)))), call.Aborted);
    }

    public static async Task ListMultipartUploadsAsync(S3Call call)
    {
        var prefix = call.Query("prefix") ?? "";
        List<MultipartUpload> uploads;
        lock (call.Store.Gate)
            uploads = [.. call.Store.Bucket(call.Bucket).Uploads.Values.Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Initiated)];
        var max = call.IntQuery("max-uploads", 0, 1000) ?? 1000;
        var page = uploads.Take(max).ToList();
        await S3Xml.WriteAsync(call.Response, S3Xml.E("ListMultipartUploadsResult",
            S3Xml.E("Bucket", call.Bucket), S3Xml.E("KeyMarker", ""), S3Xml.E("UploadIdMarker", ""), S3Xml.E("Prefix", prefix),
            S3Xml.E("MaxUploads", max), S3Xml.E("IsTruncated", uploads.Count > page.Count ? "true" : "false"),
            page.Select(u => S3Xml.E("Upload", S3Xml.E("Key", u.Key), S3Xml.E("UploadId", u.UploadId),
                S3Xml.E("Initiator", S3Xml.E("ID", BucketOperations.OwnerId), S3Xml.E("DisplayName", "sandbox")),
                S3Xml.E("Owner", S3Xml.E("ID", BucketOperations.OwnerId), S3Xml.E("DisplayName", "sandbox")),
                S3Xml.E("StorageClass", "STANDARD"), S3Xml.E("Initiated", S3Xml.Iso(u.Initiated))))), call.Aborted);
    }

    private static int PartNumber(S3Call call)
    {
        var text = call.Query("partNumber");
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw S3Errors.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", text);
    }
}
