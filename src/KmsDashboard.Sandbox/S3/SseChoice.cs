namespace KmsDashboard.Sandbox.S3;

/// <summary>The encryption a new object gets once the request's headers and the bucket's default are combined.</summary>
internal sealed record SseChoice(string Algorithm, string? KmsKeyId, bool BucketKeyEnabled, IReadOnlyDictionary<string, string>? UserContext);
