namespace KmsDashboard.Sandbox.S3;

/// <summary>A multipart upload in progress: what CreateMultipartUpload fixed (headers, metadata, encryption) and the parts so far.</summary>
internal sealed class MultipartUpload
{
    public required string UploadId { get; init; }
    public required string Key { get; init; }
    public required DateTimeOffset Initiated { get; init; }
    public required string ContentType { get; init; }
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required ObjectEncryption Encryption { get; init; }
    public required string Owner { get; init; }
    public SortedDictionary<int, UploadedPart> Parts { get; } = [];

    public sealed record UploadedPart(int Number, string ETag, long Size, DateTimeOffset LastModified, SealedBody Body);
}
