namespace KmsDashboard.Sandbox.S3;

/// <summary>One version of an object (or a delete marker): its metadata, its encryption and its sealed body.</summary>
internal sealed class S3ObjectVersion
{
    public const string NullVersion = "null";

    public required string Key { get; init; }
    public required string VersionId { get; init; }
    public required DateTimeOffset LastModified { get; init; }
    public bool IsDeleteMarker { get; init; }
    public long Size { get; init; }
    /// <summary>Quoted, as S3 sends it: MD5 hex, or MD5-of-MD5s with <c>-N</c> for N parts.</summary>
    public string ETag { get; init; } = "";
    public string ContentType { get; init; } = "binary/octet-stream";
    /// <summary>Stored standard headers: Content-Encoding, Content-Disposition, Content-Language, Cache-Control, Expires.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    /// <summary>User metadata, names lower-case without the <c>x-amz-meta-</c> prefix.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public ObjectEncryption? Encryption { get; init; }
    public SealedBody? Body { get; init; }
    public int? PartsCount { get; init; }
    /// <summary>The full-object checksum the uploader sent (e.g. CRC32 → base64), if any.</summary>
    public KeyValuePair<string, string>? Checksum { get; init; }
    /// <summary>PENDING, COMPLETED or FAILED on a replicated source; REPLICA on the copy; null when no rule applied.</summary>
    public string? ReplicationStatus { get; set; }
    /// <summary>Who uploaded it (the access key S3 calls KMS on behalf of when it replicates the object).</summary>
    public string Owner { get; init; } = "";
}
