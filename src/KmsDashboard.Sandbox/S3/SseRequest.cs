namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// What a write asked for in its <c>x-amz-server-side-encryption*</c> headers; null members were not sent and fall back
/// to the bucket's default encryption.
/// </summary>
internal sealed record SseRequest(string? Algorithm, string? KmsKeyId, bool? BucketKeyEnabled, IReadOnlyDictionary<string, string>? Context)
{
    public static readonly SseRequest None = new(null, null, null, null);

    public bool IsEmpty => Algorithm is null && KmsKeyId is null && BucketKeyEnabled is null && Context is null;
}
