using KmsDashboard.Sandbox.S3.Operations;
using Microsoft.AspNetCore.Http;

namespace KmsDashboard.Sandbox.S3;

/// <summary>Maps method, bucket, key and sub-resource query to the S3 operation, as the botocore s3 model's HTTP bindings do.</summary>
internal static class S3Router
{
    /// <summary>Sub-resources S3 has and the sandbox does not serve: answered 501 NotImplemented rather than misread.</summary>
    private static readonly string[] Unserved =
    [
        "acl", "policy", "policyStatus", "cors", "lifecycle", "logging", "notification", "website", "object-lock", "ownershipControls",
        "publicAccessBlock", "accelerate", "requestPayment", "analytics", "inventory", "metrics", "intelligent-tiering", "legal-hold",
        "retention", "restore", "select", "torrent", "attributes", "session", "metadataTable", "metadataConfiguration", "versions",
        "abac", "renameObject", "encryption-update",
    ];

    public static S3Operation Route(S3Call call)
    {
        var method = call.Http.Request.Method;
        if (call.BucketName is null)
        {
            return HttpMethods.IsGet(method)
                ? new("ListBuckets", BucketOperations.ListBucketsAsync, Management: true, ReadOnly: true, ChecksRegion: false)
                : throw S3Errors.MethodNotAllowed(method, "SERVICE");
        }
        var unserved = Unserved.FirstOrDefault(call.Has);
        if (unserved is not null) throw S3Errors.NotImplemented($"The sandbox does not serve the '{unserved}' sub-resource.");
        return call.Key is null ? BucketRoute(call, method) : ObjectRoute(call, method);
    }

    private static S3Operation BucketRoute(S3Call call, string method)
    {
        if (HttpMethods.IsGet(method))
        {
            if (call.Has("location")) return new("GetBucketLocation", BucketOperations.GetBucketLocationAsync, true, true, ChecksRegion: false);
            if (call.Has("encryption")) return new("GetBucketEncryption", BucketConfigOperations.GetBucketEncryptionAsync, true, true);
            if (call.Has("versioning")) return new("GetBucketVersioning", BucketConfigOperations.GetBucketVersioningAsync, true, true);
            if (call.Has("replication")) return new("GetBucketReplication", BucketConfigOperations.GetBucketReplicationAsync, true, true);
            if (call.Has("tagging")) return new("GetBucketTagging", BucketConfigOperations.GetBucketTaggingAsync, true, true);
            if (call.Has("uploads")) return new("ListMultipartUploads", MultipartOperations.ListMultipartUploadsAsync, ReadOnly: true);
            if (call.Query("list-type") == "2") return new("ListObjectsV2", ListOperations.ListObjectsV2Async, ReadOnly: true);
            return new("ListObjects", ListOperations.ListObjectsAsync, ReadOnly: true);
        }
        if (HttpMethods.IsHead(method)) return new("HeadBucket", BucketOperations.HeadBucketAsync, ReadOnly: true);
        if (HttpMethods.IsPut(method))
        {
            if (call.Has("encryption")) return new("PutBucketEncryption", BucketConfigOperations.PutBucketEncryptionAsync, true);
            if (call.Has("versioning")) return new("PutBucketVersioning", BucketConfigOperations.PutBucketVersioningAsync, true);
            if (call.Has("replication")) return new("PutBucketReplication", BucketConfigOperations.PutBucketReplicationAsync, true);
            if (call.Has("tagging")) return new("PutBucketTagging", BucketConfigOperations.PutBucketTaggingAsync, true);
            return new("CreateBucket", BucketOperations.CreateBucketAsync, true, ChecksRegion: false);
        }
        if (HttpMethods.IsDelete(method))
        {
            if (call.Has("encryption")) return new("DeleteBucketEncryption", BucketConfigOperations.DeleteBucketEncryptionAsync, true);
            if (call.Has("replication")) return new("DeleteBucketReplication", BucketConfigOperations.DeleteBucketReplicationAsync, true);
            if (call.Has("tagging")) return new("DeleteBucketTagging", BucketConfigOperations.DeleteBucketTaggingAsync, true);
            return new("DeleteBucket", BucketOperations.DeleteBucketAsync, true);
        }
        if (HttpMethods.IsPost(method) && call.Has("delete")) return new("DeleteObjects", ObjectOperations.DeleteObjectsAsync);
        throw S3Errors.MethodNotAllowed(method, "BUCKET");
    }

    private static S3Operation ObjectRoute(S3Call call, string method)
    {
        if (call.Has("tagging")) throw S3Errors.NotImplemented("The sandbox does not serve object tagging.");
        if (HttpMethods.IsGet(method))
        {
            return call.Has("uploadId")
                ? new("ListParts", MultipartOperations.ListPartsAsync, ReadOnly: true)
                : new("GetObject", ObjectOperations.GetObjectAsync, ReadOnly: true);
        }
        if (HttpMethods.IsHead(method)) return new("HeadObject", ObjectOperations.HeadObjectAsync, ReadOnly: true);
        if (HttpMethods.IsPut(method))
        {
            if (call.Has("uploadId") && call.Has("partNumber"))
            {
                return call.Header("x-amz-copy-source") is not null
                    ? new("UploadPartCopy", MultipartOperations.UploadPartCopyAsync)
                    : new("UploadPart", MultipartOperations.UploadPartAsync);
            }
            return call.Header("x-amz-copy-source") is not null
                ? new("CopyObject", ObjectOperations.CopyObjectAsync)
                : new("PutObject", ObjectOperations.PutObjectAsync);
        }
        if (HttpMethods.IsDelete(method))
        {
            return call.Has("uploadId")
                ? new("AbortMultipartUpload", MultipartOperations.AbortMultipartUploadAsync)
                : new("DeleteObject", ObjectOperations.DeleteObjectAsync);
        }
        if (HttpMethods.IsPost(method))
        {
            if (call.Has("uploads")) return new("CreateMultipartUpload", MultipartOperations.CreateMultipartUploadAsync);
            if (call.Has("uploadId")) return new("CompleteMultipartUpload", MultipartOperations.CompleteMultipartUploadAsync);
        }
        throw S3Errors.MethodNotAllowed(method, "OBJECT");
    }
}
