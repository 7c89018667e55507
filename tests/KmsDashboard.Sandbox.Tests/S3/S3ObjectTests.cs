using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace KmsDashboard.Sandbox.Tests.S3;

/// <summary>Objects through AWSSDK.S3 4.1.0: SSE-KMS envelope encryption through the sandbox's KMS, uploads, reads, listing, versions.</summary>
public sealed class S3ObjectTests(S3Sandbox sandbox) : IClassFixture<S3Sandbox>
{
    private const string Region = "eu-west-1";

    private AmazonS3Client S3 => sandbox.S3(Region);

    private static async Task<string> ReadAsync(GetObjectResponse response)
    {
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    [Theory]
    [InlineData("id")]
    [InlineData("arn")]
    [InlineData("alias")]
    [InlineData("alias-arn")]
    public async Task SseKmsAcceptsEveryNameOfTheKeyAndReportsItsArn(string naming)
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "sse");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        var alias = $"alias/sse-{Guid.NewGuid():N}";
        await sandbox.Kms(Region).CreateAliasAsync(new CreateAliasRequest { AliasName = alias, TargetKeyId = key.KeyId });
        var keyName = naming switch
        {
            "id" => key.KeyId,
            "arn" => key.Arn,
            "alias" => alias,
            _ => $"arn:aws:kms:{Region}:111122223333:{alias}",
        };

        var put = await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "reports/q1.csv",
            ContentBody = "id,total\n1,42\n",
            ContentType = "text/csv",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = keyName,
            Metadata = { ["owner"] = "finance" },
        });
        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "reports/q1.csv" });
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "reports/q1.csv" });

        Assert.Equal(key.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, head.ServerSideEncryptionMethod);
        Assert.Equal(key.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("text/csv", head.Headers.ContentType);
        Assert.Equal("finance", head.Metadata["x-amz-meta-owner"]);
        Assert.Equal("\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("id,total\n1,42\n"u8)) + "\"", head.ETag);
        Assert.Equal("id,total\n1,42\n", await ReadAsync(get));
        Assert.Equal(key.Arn, get.ServerSideEncryptionKeyManagementServiceKeyId);
    }

    [Fact]
    public async Task TheBucketDefaultAppliesWhenTheRequestNamesNoEncryption()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "default");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        sandbox.State.SetDefaultKmsEncryption(bucket, key.KeyId, bucketKeyEnabled: true);
        var plain = await sandbox.CreateBucketAsync(Region, "plain");

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a.txt", ContentBody = "a" });
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = plain, Key = "b.txt", ContentBody = "b" });
        var encrypted = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "a.txt" });
        var s3Managed = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = plain, Key = "b.txt" });

        Assert.Equal(key.Arn, encrypted.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.True(encrypted.BucketKeyEnabled);
        Assert.Equal(ServerSideEncryptionMethod.AES256, s3Managed.ServerSideEncryptionMethod);
        Assert.Null(s3Managed.ServerSideEncryptionKeyManagementServiceKeyId);
    }

    [Fact]
    public async Task TheSdkDefaultUploadIsAwsChunkedWithAChecksumTrailerAndIsDecoded()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "chunked");
        var recorder = new RecordingHttpClientFactory();
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(S3Sandbox.AccessKey, "secret"),
            new AmazonS3Config { ServiceURL = sandbox.Url.ToString(), ForcePathStyle = true, AuthenticationRegion = Region, HttpClientFactory = recorder });
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("chunk me ", 20_000)));

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "big.txt", InputStream = new MemoryStream(body) });
        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big.txt", ChecksumMode = ChecksumMode.ENABLED });
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy);

        var put = recorder.Requests.Single(r => r.Method == "PUT");
        Assert.Contains("aws-chunked", put.Headers["content-encoding"]);
        Assert.StartsWith("STREAMING-", put.Headers["x-amz-content-sha256"]);
        Assert.StartsWith("x-amz-checksum-", put.Headers["x-amz-trailer"]);
        Assert.Equal(body.Length.ToString(), put.Headers["x-amz-decoded-content-length"]);
        Assert.Equal(body, copy.ToArray());
        Assert.False(string.IsNullOrEmpty(get.ChecksumCRC32 ?? get.ChecksumCRC32C ?? get.ChecksumCRC64NVME ?? get.ChecksumSHA256));
        Assert.Null(get.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("STREAMING-UNSIGNED-PAYLOAD-TRAILER", false)]
    [InlineData("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", false)]
    [InlineData("STREAMING-UNSIGNED-PAYLOAD-TRAILER", true)]
    public async Task HandMadeChunkedBodiesAreDecodedAndTheirTrailerChecked(string payload, bool corrupt)
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "raw");
        var data = "hello, chunked world"u8.ToArray();
        var signature = payload.Contains("HMAC", StringComparison.Ordinal) ? ";chunk-signature=" + new string('a', 64) : "";
        var crc = corrupt ? "AAAAAA==" : CrcOf(data);
        var trailer = payload.EndsWith("TRAILER", StringComparison.Ordinal) ? $"x-amz-checksum-crc32:{crc}\r\n\r\n" : "\r\n";
        var text = $"b{signature}\r\n{Encoding.ASCII.GetString(data, 0, 11)}\r\n9{signature}\r\n{Encoding.ASCII.GetString(data, 11, 9)}\r\n0{signature}\r\n{trailer}";
        var request = sandbox.Raw(HttpMethod.Put, $"/{bucket}/raw.txt", Region);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payload);
        request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", data.Length.ToString());
        if (trailer.Length > 2) request.Headers.TryAddWithoutValidation("x-amz-trailer", "x-amz-checksum-crc32");
        request.Content = S3Sandbox.Bytes(Encoding.ASCII.GetBytes(text), "text/plain");
        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        using var http = new HttpClient();

        using var response = await http.SendAsync(request);

        if (corrupt)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("BadDigest", XElement.Parse(await response.Content.ReadAsStringAsync()).Element("Code")!.Value);
            Assert.Null(sandbox.State.HeadObject(bucket, "raw.txt"));
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(data, sandbox.State.GetObject(bucket, "raw.txt"));
    }

    private static string CrcOf(byte[] data)
    {
        var table = Enumerable.Range(0, 256).Select(i =>
        {
            var c = (uint)i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            return c;
        }).ToArray();
        var crc = data.Aggregate(0xFFFFFFFFu, (c, b) => table[(c ^ b) & 0xFF] ^ (c >> 8));
        return Convert.ToBase64String(BitConverter.GetBytes(~crc).Reverse().ToArray());
    }

    [Fact]
    public async Task GetObjectFailsWhileTheKeyIsDisabledAndWorksOnceEnabledAgain()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "disabled");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "secret.txt", ContentBody = "classified",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
        });

        await sandbox.Kms(Region).DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        var read = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "secret.txt" }));
        var write = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "new.txt", ContentBody = "x",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
        }));
        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "secret.txt" });
        await sandbox.Kms(Region).EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        using var again = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "secret.txt" });

        Assert.Equal("KMS.DisabledException", read.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, read.StatusCode);
        Assert.Equal($"{key.Arn} is disabled.", read.Message);
        Assert.Equal("KMS.DisabledException", write.ErrorCode);
        Assert.Null(sandbox.State.HeadObject(bucket, "new.txt"));
        Assert.Equal(key.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("classified", await ReadAsync(again));
    }

    [Fact]
    public async Task AKeyPendingDeletionAnUnknownKeyAndAKeyOfAnotherRegionFailAsS3Says()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "keyfail");
        var pending = await sandbox.Harness.CreateKeyAsync(Region);
        await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "old.txt", ContentBody = "old",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = pending.KeyId,
        });
        await sandbox.Kms(Region).ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = pending.KeyId, PendingWindowInDays = 7 });
        var elsewhere = await sandbox.Harness.CreateKeyAsync("us-west-2");

        var pendingRead = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "old.txt" }));
        var unknown = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "u.txt", ContentBody = "u",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = "11111111-2222-3333-4444-555555555555",
        }));
        var otherRegion = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "r.txt", ContentBody = "r",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = elsewhere.Arn,
        }));

        Assert.Equal("KMS.KMSInvalidStateException", pendingRead.ErrorCode);
        Assert.Equal($"{pending.Arn} is pending deletion.", pendingRead.Message);
        Assert.Equal(HttpStatusCode.BadRequest, pendingRead.StatusCode);
        Assert.Equal("KMS.NotFoundException", unknown.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("KMS.NotFoundException", otherRegion.ErrorCode);
        Assert.Equal(["old.txt"], sandbox.State.ListObjects(bucket).Select(o => o.Key));
    }

    [Fact]
    public async Task SseKmsWithoutAKeyUsesTheAwsManagedKeyForS3()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "managed");

        var put = await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "m.txt", ContentBody = "m", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
        });
        var managed = await sandbox.Harness.DescribeAsync(Region, "alias/aws/s3");

        Assert.Equal(managed.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(Amazon.KeyManagementService.KeyManagerType.AWS, managed.KeyManager);
    }

    [Fact]
    public async Task RangesVersionsAndDeletesBehaveAsS3s()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "versions", versioned: true);
        var first = await S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.txt", ContentBody = "version one" });
        var second = await S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.txt", ContentBody = "version two" });

        using var range = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.txt", ByteRange = new ByteRange(8, 10) });
        using var old = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.txt", VersionId = first.VersionId });
        var deleted = await S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.txt" });
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.txt" }));
        using var stillThere = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.txt", VersionId = second.VersionId });
        var marker = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.txt", VersionId = deleted.VersionId }));

        Assert.NotEqual(first.VersionId, second.VersionId);
        Assert.Equal(HttpStatusCode.PartialContent, range.HttpStatusCode);
        Assert.Equal("two", await ReadAsync(range));
        Assert.Equal("version one", await ReadAsync(old));
        Assert.Equal("true", deleted.DeleteMarker);
        Assert.Equal("NoSuchKey", gone.ErrorCode);
        Assert.Equal("version two", await ReadAsync(stillThere));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, marker.StatusCode);
    }

    [Fact]
    public async Task ListObjectsV2PagesWithPrefixesDelimitersAndStartAfter()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "list");
        foreach (var key in new[] { "a.txt", "logs/1.txt", "logs/2.txt", "photos/x.jpg", "photos/y.jpg", "z.txt" })
            sandbox.State.PutObject(bucket, key, "x"u8.ToArray());

        var pages = new List<ListObjectsV2Response>();
        string? token = null;
        do
        {
            var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/", MaxKeys = 2, ContinuationToken = token });
            pages.Add(page);
            token = page.NextContinuationToken;
        }
        while (token is not null);
        var logs = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "logs/" });
        var after = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, StartAfter = "photos/x.jpg" });

        Assert.Equal(["a.txt", "logs/", "photos/", "z.txt"],
            pages.SelectMany(p => (p.S3Objects ?? []).Select(o => o.Key).Concat(p.CommonPrefixes ?? []).Order(StringComparer.Ordinal)).ToList());
        Assert.Equal([2, 2], pages.Select(p => p.KeyCount ?? 0));
        Assert.True(pages[0].IsTruncated);
        Assert.False(pages[^1].IsTruncated);
        Assert.Equal(["logs/1.txt", "logs/2.txt"], logs.S3Objects.Select(o => o.Key));
        Assert.Equal(["photos/y.jpg", "z.txt"], after.S3Objects.Select(o => o.Key));
    }

    [Fact]
    public async Task DeleteObjectsRemovesTheNamedKeys()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "bulk");
        foreach (var key in new[] { "1", "2", "3" }) sandbox.State.PutObject(bucket, key, "x"u8.ToArray());

        var result = await S3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new() { Key = "1" }, new() { Key = "3" }] });

        Assert.Equal(["1", "3"], result.DeletedObjects.Select(d => d.Key).Order());
        Assert.Equal(["2"], sandbox.State.ListObjects(bucket).Select(o => o.Key));
    }

    [Fact]
    public async Task CopyInPlaceNeedsAChangeAndReEncryptsUnderTheNewKey()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "copy");
        var oldKey = await sandbox.Harness.CreateKeyAsync(Region);
        var newKey = await sandbox.Harness.CreateKeyAsync(Region);
        sandbox.State.PutObject(bucket, "data/report one.txt", "quarterly"u8.ToArray(), kmsKeyId: oldKey.KeyId);

        var unchanged = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "data/report one.txt", DestinationBucket = bucket, DestinationKey = "data/report one.txt",
        }));
        var copied = await S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket, SourceKey = "data/report one.txt", DestinationBucket = bucket, DestinationKey = "data/report one.txt",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = newKey.KeyId,
            MetadataDirective = S3MetadataDirective.REPLACE, ContentType = "text/plain", Metadata = { ["rekeyed"] = "yes" },
        });
        var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "data/report one.txt" });
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "data/report one.txt" });

        Assert.Equal("InvalidRequest", unchanged.ErrorCode);
        Assert.Equal(newKey.Arn, copied.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal(newKey.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("yes", head.Metadata["x-amz-meta-rekeyed"]);
        Assert.Equal("quarterly", await ReadAsync(get));
    }

    [Fact]
    public async Task MultipartUploadsJoinTheirPartsUnderOneDataKey()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "multipart");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        var first = new byte[5 * 1024 * 1024];
        Random.Shared.NextBytes(first);
        var second = "the end"u8.ToArray();
        var created = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket, Key = "big.bin",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
        });
        var part1 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big.bin", UploadId = created.UploadId, PartNumber = 1, InputStream = new MemoryStream(first) });
        var part2 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big.bin", UploadId = created.UploadId, PartNumber = 2, InputStream = new MemoryStream(second) });
        var parts = await S3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "big.bin", UploadId = created.UploadId });

        var completed = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = "big.bin", UploadId = created.UploadId,
            PartETags = [new PartETag(1, part1.ETag), new PartETag(2, part2.ETag)],
        });
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big.bin" });
        using var body = new MemoryStream();
        await get.ResponseStream.CopyToAsync(body);
        using var secondPart = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big.bin", PartNumber = 2 });
        var firstPartHead = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "big.bin", PartNumber = 1 });
        using var secondPartBody = new MemoryStream();
        await secondPart.ResponseStream.CopyToAsync(secondPartBody);
        var aborted = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "never.bin" });
        await S3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = "never.bin", UploadId = aborted.UploadId });
        var noUpload = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = "never.bin", UploadId = aborted.UploadId, PartNumber = 1, InputStream = new MemoryStream([1]),
        }));

        Assert.Equal(key.Arn, created.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber ?? 0));
        Assert.EndsWith("-2\"", completed.ETag);
        Assert.Equal([.. first, .. second], body.ToArray());
        Assert.Equal(second, secondPartBody.ToArray());
        Assert.Equal(2, secondPart.PartsCount);
        Assert.Equal(first.Length, firstPartHead.ContentLength);
        Assert.Equal(key.Arn, get.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.Equal("NoSuchUpload", noUpload.ErrorCode);
    }

    [Fact]
    public async Task ASinglePutLargerThanKestrelsDefaultBodyLimitIsStored()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "large");
        var body = new byte[40 * 1024 * 1024];
        Random.Shared.NextBytes(body);

        await S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "large.bin", InputStream = new MemoryStream(body) });

        Assert.Equal(body.Length, sandbox.State.HeadObject(bucket, "large.bin")!.Size);
        Assert.Equal(body, sandbox.State.GetObject(bucket, "large.bin"));
    }

    [Fact]
    public async Task TransferUtilityUploadsAndDownloadsInParts()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "transfer");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        var directory = Directory.CreateTempSubdirectory("transfer-").FullName;
        try
        {
            var source = Path.Combine(directory, "up.bin");
            var target = Path.Combine(directory, "down.bin");
            var bytes = new byte[18 * 1024 * 1024 + 5];
            Random.Shared.NextBytes(bytes);
            await File.WriteAllBytesAsync(source, bytes);
            using var transfer = new Amazon.S3.Transfer.TransferUtility(S3);

            await transfer.UploadAsync(new Amazon.S3.Transfer.TransferUtilityUploadRequest
            {
                BucketName = bucket, Key = "up.bin", FilePath = source, PartSize = 5 * 1024 * 1024,
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
            });
            await transfer.DownloadAsync(new Amazon.S3.Transfer.TransferUtilityDownloadRequest { BucketName = bucket, Key = "up.bin", FilePath = target });
            var head = await S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "up.bin" });

            Assert.Matches("-[0-9]+\"$", head.ETag);
            Assert.Equal(key.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(target));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task APresignedUrlReadsTheObject()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "presign");
        sandbox.State.PutObject(bucket, "shared/note.txt", "presigned"u8.ToArray());
        var url = await S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket, Key = "shared/note.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP,
        });
        using var http = new HttpClient();

        var text = await http.GetStringAsync(url);

        Assert.Contains("X-Amz-Credential=", url);
        Assert.Equal("presigned", text);
    }

    [Fact]
    public async Task AnEncryptionContextHeaderJoinsS3sOwnContextInTheKmsCall()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "context");
        var key = await sandbox.Harness.CreateKeyAsync(Region);
        var calls = new System.Collections.Concurrent.ConcurrentQueue<KmsDashboard.Sandbox.Hosting.SandboxCall>();
        using var subscription = sandbox.Harness.CallLog.Subscribe(c => { if (c.InvokedBy is not null) calls.Enqueue(c); });
        var context = Convert.ToBase64String("{\"department\":\"finance\"}"u8);

        var put = await S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "ctx.txt", ContentBody = "ctx",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
            ServerSideEncryptionKeyManagementServiceEncryptionContext = context,
        });
        using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "ctx.txt" });
        var bad = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "bad.txt", ContentBody = "bad",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = key.KeyId,
            ServerSideEncryptionKeyManagementServiceEncryptionContext = "not base64 json",
        }));

        var generate = Assert.Single(calls, c => c.Operation == "GenerateDataKey");
        var decrypt = Assert.Single(calls, c => c.Operation == "Decrypt");
        foreach (var call in new[] { generate, decrypt })
        {
            Assert.Equal("finance", call.RequestParameters!["EncryptionContext"]!["department"]!.GetValue<string>());
            Assert.Equal($"arn:aws:s3:::{bucket}/ctx.txt", call.RequestParameters!["EncryptionContext"]!["aws:s3:arn"]!.GetValue<string>());
            Assert.Equal(Region, call.Region);
        }
        var echoed = System.Text.Json.JsonDocument.Parse(Convert.FromBase64String(put.ServerSideEncryptionKeyManagementServiceEncryptionContext)).RootElement;
        Assert.Equal("finance", echoed.GetProperty("department").GetString());
        Assert.Equal("ctx", await ReadAsync(get));
        Assert.Equal("InvalidArgument", bad.ErrorCode);
    }

    [Fact]
    public async Task ConcurrentWritersAndReadersSeeEveryObjectWhole()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "concurrent");
        var keys = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => sandbox.Harness.CreateKeyAsync(Region)));

        await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            await S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = $"items/{i:D3}", ContentBody = $"item {i}",
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS, ServerSideEncryptionKeyManagementServiceKeyId = keys[i % 3].KeyId,
            }, ct);
            using var get = await S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = $"items/{i:D3}" }, ct);
            Assert.Equal($"item {i}", await ReadAsync(get));
            await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "items/" }, ct);
        });
        var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });

        Assert.Equal(120, listed.KeyCount);
        Assert.Equal(120, sandbox.State.ListObjects(bucket).Count(o => o.KmsKeyArn == keys[int.Parse(o.Key[6..]) % 3].Arn));
    }

    [Fact]
    public async Task ListObjectsV1PagesWithMarkers()
    {
        var bucket = await sandbox.CreateBucketAsync(Region, "listv1");
        foreach (var key in new[] { "a", "b/1", "b/2", "c", "d" }) sandbox.State.PutObject(bucket, key, "x"u8.ToArray());

        var first = await S3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", MaxKeys = 2 });
        var second = await S3.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/", MaxKeys = 2, Marker = first.NextMarker });

        Assert.Equal(["a"], first.S3Objects.Select(o => o.Key));
        Assert.Equal(["b/"], first.CommonPrefixes);
        Assert.True(first.IsTruncated);
        Assert.Equal("b/", first.NextMarker);
        Assert.Equal(["c", "d"], second.S3Objects.Select(o => o.Key));
        Assert.False(second.IsTruncated);
    }
}
