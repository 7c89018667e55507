using KmsDashboard.Sandbox.Kms;

namespace KmsDashboard.Sandbox.S3;

/// <summary>The S3 error codes the sandbox answers with, worded and numbered as S3 answers them.</summary>
internal static class S3Errors
{
    public static S3Exception NoSuchBucket(string bucket) =>
        new S3Exception("NoSuchBucket", "The specified bucket does not exist", 404).With("BucketName", bucket);

    public static S3Exception NoSuchKey(string key) =>
        new S3Exception("NoSuchKey", "The specified key does not exist.", 404).With("Key", key);

    public static S3Exception NoSuchVersion(string key, string versionId) =>
        new S3Exception("NoSuchVersion", "The specified version does not exist.", 404).With("Key", key).With("VersionId", versionId);

    public static S3Exception NoSuchUpload(string uploadId) =>
        new S3Exception("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", 404)
            .With("UploadId", uploadId);

    public static S3Exception BucketAlreadyOwnedByYou(string bucket) =>
        new S3Exception("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", 409).With("BucketName", bucket);

    public static S3Exception BucketNotEmpty(string bucket) =>
        new S3Exception("BucketNotEmpty", "The bucket you tried to delete is not empty", 409).With("BucketName", bucket);

    public static S3Exception InvalidBucketName(string bucket) =>
        new S3Exception("InvalidBucketName", "The specified bucket is not valid.", 400).With("BucketName", bucket);

    public static S3Exception IllegalLocationConstraint(string? constraint) =>
        new("IllegalLocationConstraintException",
            $"The {(string.IsNullOrEmpty(constraint) ? "unspecified" : constraint)} location constraint is incompatible for the region specific endpoint this request was sent to.", 400);

    public static S3Exception InvalidLocationConstraint(string constraint) =>
        new S3Exception("InvalidLocationConstraint", "The specified location-constraint is not valid", 400).With("LocationConstraint", constraint);

    public static S3Exception EncryptionNotFound(string bucket) =>
        new S3Exception("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", 404).With("BucketName", bucket);

    public static S3Exception ReplicationNotFound(string bucket) =>
        new S3Exception("ReplicationConfigurationNotFoundError", "The replication configuration was not found", 404).With("BucketName", bucket);

    public static S3Exception NoSuchTagSet(string bucket) =>
        new S3Exception("NoSuchTagSet", "The TagSet does not exist", 404).With("BucketName", bucket);

    public static S3Exception InvalidTag(string message) => new("InvalidTag", message, 400);

    public static S3Exception InvalidRequest(string message) => new("InvalidRequest", message, 400);

    public static S3Exception InvalidArgument(string message, string? name = null, string? value = null)
    {
        var error = new S3Exception("InvalidArgument", message, 400);
        if (name is not null) error.With("ArgumentName", name).With("ArgumentValue", value ?? "");
        return error;
    }

    public static S3Exception InvalidBucketState(string message) => new("InvalidBucketState", message, 409);

    public static S3Exception MalformedXml() =>
        new("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400);

    public static S3Exception NotImplemented(string message = "A header you provided implies functionality that is not implemented") =>
        new("NotImplemented", message, 501);

    public static S3Exception MethodNotAllowed(string method, string resource) =>
        new S3Exception("MethodNotAllowed", "The specified method is not allowed against this resource.", 405).With("Method", method).With("ResourceType", resource);

    public static S3Exception InvalidRange(string range, long size) =>
        new S3Exception("InvalidRange", "The requested range is not satisfiable", 416).With("RangeRequested", range).With("ActualObjectSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static S3Exception InvalidPart() =>
        new("InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.", 400);

    public static S3Exception InvalidPartOrder() =>
        new("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.", 400);

    public static S3Exception EntityTooSmall(long size) =>
        new S3Exception("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", 400)
            .With("ProposedSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture)).With("MinSizeAllowed", "5242880");

    public static S3Exception BadDigest(string message = "The Content-MD5 you specified did not match what we received.") => new("BadDigest", message, 400);

    public static S3Exception InvalidDigest() => new("InvalidDigest", "The Content-MD5 you specified is not valid.", 400);

    public static S3Exception ContentSha256Mismatch() =>
        new("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);

    public static S3Exception IncompleteBody(string message) => new("IncompleteBody", message, 400);

    /// <summary>A request for a bucket of another Region through a Regional endpoint (the SigV4 scope names the wrong Region).</summary>
    public static S3Exception WrongRegion(string signedRegion, string bucketRegion) =>
        new S3Exception("AuthorizationHeaderMalformed", $"The authorization header is malformed; the region '{signedRegion}' is wrong; expecting '{bucketRegion}'", 400)
            .With("Region", bucketRegion).WithHeader("x-amz-bucket-region", bucketRegion);

    /// <summary>A request for a bucket of another Region through the us-east-1 (global) endpoint.</summary>
    public static S3Exception PermanentRedirect(string bucket, string bucketRegion) =>
        new S3Exception("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.", 301)
            .With("Endpoint", $"{bucket}.s3.{bucketRegion}.amazonaws.com").With("Bucket", bucket).WithHeader("x-amz-bucket-region", bucketRegion);

    /// <summary>
    /// A KMS failure as S3 reports it: the KMS code prefixed with <c>KMS.</c>, KMS's message, HTTP 400. Sources for the
    /// status: AWS S3's own answer quoted in minio/minio#6582 ("S3 error: 400 (KMS.NotFoundException): Key 'arn:…' does not
    /// exist"), rustfs/rustfs#7423 ("S3 reports this as the client error 400 KMS.NotFoundException"), and LocalStack's S3
    /// provider (localstack/services/s3/utils.py, snapshot-tested against AWS) answering KMS.DisabledException and
    /// KMS.KMSInvalidStateException as 400 client errors. A missing kms permission is a plain 403 AccessDenied, and KMS
    /// throttling is 503 SlowDown as for any S3 request-rate limit.
    /// </summary>
    public static S3Exception FromKms(KmsException error) => error.Code switch
    {
        "AccessDeniedException" => new S3Exception("AccessDenied", "Access Denied", 403),
        "ThrottlingException" => new S3Exception("SlowDown", "Please reduce your request rate.", 503),
        "KMSInvalidStateException" when error.Message.EndsWith(" is PendingDeletion", StringComparison.Ordinal)
            || error.Message.EndsWith(" is PendingReplicaDeletion", StringComparison.Ordinal) =>
            new S3Exception("KMS.KMSInvalidStateException", error.Message[..error.Message.LastIndexOf(" is ", StringComparison.Ordinal)] + " is pending deletion.", 400),
        _ => new S3Exception("KMS." + error.Code, error.Message, 400),
    };
}
