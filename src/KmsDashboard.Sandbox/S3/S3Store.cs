using System.Security.Cryptography;
using System.Threading.Channels;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// Every bucket of the sandbox account behind one lock, and the operations the wire protocol and
/// <see cref="S3SandboxState"/> share. KMS is called outside the lock (it has its own), so a slow or failing key never
/// holds up other buckets. New versions that a replication rule covers are queued for <see cref="ReplicationWorker"/>.
/// </summary>
internal sealed class S3Store(SandboxClock clock, ObjectSealer sealer) : ISandboxResettable
{
    public const string DefaultRegion = "us-east-1";
    private readonly Dictionary<string, S3Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Channel<ReplicationTask> _replication = Channel.CreateUnbounded<ReplicationTask>();
    private long _generation;
    private int _pendingReplications;

    public Lock Gate { get; } = new();
    public SandboxClock Clock => clock;
    public ObjectSealer Sealer => sealer;

    /// <summary>How long (real time) a new object waits before it is replicated; its status reads PENDING meanwhile.</summary>
    public TimeSpan ReplicationDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public ChannelReader<ReplicationTask> ReplicationQueue => _replication.Reader;
    public int PendingReplications => Volatile.Read(ref _pendingReplications);
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public IEnumerable<S3Bucket> Buckets => _buckets.Values;

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public S3Bucket Bucket(string name) => _buckets.TryGetValue(name, out var bucket) ? bucket : throw S3Errors.NoSuchBucket(name);

    public S3Bucket? FindBucket(string name)
    {
        lock (Gate) return _buckets.GetValueOrDefault(name);
    }

    /// <summary>
    /// CreateBucket as S3 answers it: the Region is the signing Region (us-east-1, the global endpoint, may name any
    /// Region in the body); another Regional endpoint must be given its own Region as the location constraint.
    /// </summary>
    public S3Bucket CreateBucket(string signingRegion, string name, string? locationConstraint)
    {
        BucketNameRules.Check(name);
        var region = locationConstraint switch
        {
            null or "" => signingRegion == DefaultRegion ? DefaultRegion : throw S3Errors.IllegalLocationConstraint(null),
            DefaultRegion => throw S3Errors.InvalidLocationConstraint(locationConstraint),
            "EU" => "eu-west-1",
            _ => locationConstraint,
        };
        if (!BucketRegions.IsKnown(region)) throw S3Errors.InvalidLocationConstraint(locationConstraint!);
        if (signingRegion != DefaultRegion && region != signingRegion) throw S3Errors.IllegalLocationConstraint(locationConstraint);
        lock (Gate)
        {
            if (_buckets.ContainsKey(name)) throw S3Errors.BucketAlreadyOwnedByYou(name);
            var bucket = new S3Bucket(name, region, clock.UtcNow);
            _buckets.Add(name, bucket);
            return bucket;
        }
    }

    public void DeleteBucket(string name)
    {
        lock (Gate)
        {
            var bucket = Bucket(name);
            if (!bucket.IsEmpty) throw S3Errors.BucketNotEmpty(name);
            _buckets.Remove(name);
        }
    }

    public void SetVersioning(string name, string status)
    {
        if (status is not ("Enabled" or "Suspended")) throw S3Errors.MalformedXml();
        lock (Gate)
        {
            var bucket = Bucket(name);
            if (status == "Suspended" && bucket.Replication is not null)
                throw S3Errors.InvalidBucketState("Replication configuration is present on this bucket, so the versioning state cannot be changed.");
            bucket.Versioning = status;
        }
    }

    public void SetEncryption(string name, BucketEncryption? encryption)
    {
        if (encryption is not null)
        {
            if (encryption.Algorithm is not (BucketEncryption.Kms or BucketEncryption.S3Managed))
                throw encryption.Algorithm == "aws:kms:dsse"
                    ? S3Errors.NotImplemented("The sandbox does not serve dual-layer SSE-KMS (aws:kms:dsse).")
                    : S3Errors.MalformedXml();
            if (encryption.Algorithm == BucketEncryption.S3Managed && encryption.KmsMasterKeyId is not null)
                throw S3Errors.InvalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
                    "ApplyServerSideEncryptionByDefault", "");
        }
        lock (Gate) Bucket(name).Encryption = encryption;
    }

    public void SetReplication(string name, BucketReplication? configuration)
    {
        lock (Gate)
        {
            var bucket = Bucket(name);
            if (configuration is not null)
            {
                if (bucket.Versioning != "Enabled")
                    throw S3Errors.InvalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
                if (configuration.Rules.Count == 0) throw S3Errors.MalformedXml();
                foreach (var rule in configuration.Rules)
                {
                    if (rule.SseKmsEncryptedObjects && string.IsNullOrEmpty(rule.ReplicaKmsKeyId))
                        throw S3Errors.InvalidRequest("ReplicaKmsKeyID must be specified if SseKmsEncryptedObjects tag is present.");
                    if (!_buckets.TryGetValue(rule.DestinationBucket, out var destination))
                        throw S3Errors.InvalidRequest("Destination bucket must exist.");
                    if (destination.Versioning != "Enabled")
                        throw S3Errors.InvalidRequest("Destination bucket must have versioning enabled.");
                }
                if (configuration.Rules.GroupBy(r => r.Id).Any(g => g.Count() > 1))
                    throw S3Errors.InvalidArgument("Rule Id must be unique.");
            }
            bucket.Replication = configuration;
        }
    }

    public void SetTags(string name, OrderedDictionary<string, string>? tags)
    {
        lock (Gate) Bucket(name).Tags = tags;
    }

    /// <summary>The encryption a write gets: the request's headers, else the bucket's default (SSE-S3 when it has none).</summary>
    public static SseChoice Choose(S3Bucket bucket, SseRequest request)
    {
        if (request.Algorithm is null)
        {
            if (request.KmsKeyId is not null || request.Context is not null)
                throw S3Errors.InvalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
                    "x-amz-server-side-encryption", "null");
            var fallback = bucket.Encryption;
            if (fallback is null || fallback.Algorithm != BucketEncryption.Kms)
                return new SseChoice(BucketEncryption.S3Managed, null, false, null);
            return new SseChoice(BucketEncryption.Kms, fallback.KmsMasterKeyId, request.BucketKeyEnabled ?? fallback.BucketKeyEnabled, null);
        }
        if (request.Algorithm == BucketEncryption.S3Managed)
        {
            if (request.KmsKeyId is not null || request.Context is not null)
                throw S3Errors.InvalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
                    "x-amz-server-side-encryption", request.Algorithm);
            return new SseChoice(BucketEncryption.S3Managed, null, false, null);
        }
        if (request.Algorithm == "aws:kms:dsse") throw S3Errors.NotImplemented("The sandbox does not serve dual-layer SSE-KMS (aws:kms:dsse).");
        if (request.Algorithm != BucketEncryption.Kms)
            throw S3Errors.InvalidArgument("The encryption method specified is not supported", "x-amz-server-side-encryption", request.Algorithm);
        var bucketKey = request.BucketKeyEnabled ?? (bucket.Encryption?.Algorithm == BucketEncryption.Kms && bucket.Encryption.BucketKeyEnabled);
        return new SseChoice(BucketEncryption.Kms, request.KmsKeyId, bucketKey, request.Context);
    }

    /// <summary>Seals and stores a new version (replacing the "null" version when the bucket is not versioned).</summary>
    public S3ObjectVersion PutObject(string bucketName, string key, ReadOnlySpan<byte> body, ObjectWrite write, string accessKeyId, int? partsCount = null)
    {
        S3Bucket bucket;
        SseChoice choice;
        lock (Gate)
        {
            bucket = Bucket(bucketName);
            choice = Choose(bucket, write.Sse);
        }
        var (encryption, dataKey) = sealer.NewDataKey(bucket.Region, bucket.Name, key, choice, accessKeyId);
        var sealedBody = SealedBody.Seal(dataKey, body);
        CryptographicOperations.ZeroMemory(dataKey);
        return Commit(bucketName, new S3ObjectVersion
        {
            Key = key,
            VersionId = "",
            LastModified = clock.UtcNow,
            Size = body.Length,
            ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"",
            ContentType = write.ContentType,
            Headers = write.Headers,
            Metadata = write.Metadata,
            Encryption = encryption,
            Body = sealedBody,
            PartsCount = partsCount,
            Checksum = write.Checksum,
            Owner = accessKeyId,
        });
    }

    /// <summary>
    /// Bulk objects for benchmarks and demos: one data key (SSE-KMS under <paramref name="kmsKeyId"/> with the bucket's
    /// ARN as context, as S3 Bucket Keys use, or SSE-S3 when null) seals every body, so the whole batch costs one KMS
    /// call; the objects are written straight into the bucket (no replication, no per-object events) and read back
    /// like any other.
    /// </summary>
    public int AddSynthetic(string bucketName, int count, Func<int, string> keyName, string? kmsKeyId, int size, string accessKeyId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        S3Bucket bucket;
        lock (Gate) bucket = Bucket(bucketName);
        var choice = kmsKeyId is null
            ? new SseChoice(BucketEncryption.S3Managed, null, false, null)
            : new SseChoice(BucketEncryption.Kms, kmsKeyId, true, null);
        var (encryption, dataKey) = sealer.NewDataKey(bucket.Region, bucket.Name, "", choice, accessKeyId);
        var body = new byte[size];
        var versions = new List<S3ObjectVersion>(count);
        for (var i = 0; i < count; i++)
        {
            RandomNumberGenerator.Fill(body);
            versions.Add(new S3ObjectVersion
            {
                Key = keyName(i),
                VersionId = "",
                LastModified = clock.UtcNow,
                Size = size,
                ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"",
                Encryption = encryption,
                Body = SealedBody.Seal(dataKey, body),
                Owner = accessKeyId,
            });
        }
        CryptographicOperations.ZeroMemory(dataKey);
        lock (Gate)
        {
            bucket = Bucket(bucketName);
            foreach (var version in versions)
            {
                bucket.Add(new S3ObjectVersion
                {
                    Key = version.Key,
                    VersionId = bucket.Versioning == "Enabled" ? NewVersionId() : S3ObjectVersion.NullVersion,
                    LastModified = version.LastModified,
                    Size = version.Size,
                    ETag = version.ETag,
                    Encryption = version.Encryption,
                    Body = version.Body,
                    Owner = version.Owner,
                });
            }
        }
        return count;
    }

    /// <summary>Gives a prepared version its id, replication status and place in the bucket.</summary>
    public S3ObjectVersion Commit(string bucketName, S3ObjectVersion prepared)
    {
        lock (Gate)
        {
            var bucket = Bucket(bucketName);
            var rule = prepared.ReplicationStatus == "REPLICA" ? null : bucket.Replication?.RuleFor(prepared.Key);
            if (rule is not null && prepared.Encryption?.IsKms == true && !rule.SseKmsEncryptedObjects) rule = null;
            var version = new S3ObjectVersion
            {
                Key = prepared.Key,
                VersionId = prepared.VersionId.Length > 0 ? prepared.VersionId
                    : bucket.Versioning == "Enabled" ? NewVersionId() : S3ObjectVersion.NullVersion,
                LastModified = prepared.LastModified,
                IsDeleteMarker = prepared.IsDeleteMarker,
                Size = prepared.Size,
                ETag = prepared.ETag,
                ContentType = prepared.ContentType,
                Headers = prepared.Headers,
                Metadata = prepared.Metadata,
                Encryption = prepared.Encryption,
                Body = prepared.Body,
                PartsCount = prepared.PartsCount,
                Checksum = prepared.Checksum,
                Owner = prepared.Owner,
                ReplicationStatus = rule is not null ? "PENDING" : prepared.ReplicationStatus,
            };
            bucket.Add(version);
            if (rule is not null)
            {
                Interlocked.Increment(ref _pendingReplications);
                _replication.Writer.TryWrite(new ReplicationTask(Generation, bucket.Name, version.Key, version.VersionId, rule, DateTimeOffset.UtcNow + ReplicationDelay));
            }
            return version;
        }
    }

    /// <summary>A version by id, or the current one; a current delete marker is NoSuchKey (with x-amz-delete-marker).</summary>
    public (S3Bucket Bucket, S3ObjectVersion Version) Find(string bucketName, string key, string? versionId)
    {
        lock (Gate)
        {
            var bucket = Bucket(bucketName);
            if (versionId is not null)
            {
                var version = bucket.Versions.GetValueOrDefault(key)?.FirstOrDefault(v => v.VersionId == versionId);
                if (version is null)
                    throw bucket.Versions.ContainsKey(key) || bucket.Versioning is not null ? S3Errors.NoSuchVersion(key, versionId) : S3Errors.NoSuchKey(key);
                // A delete marker has no body: S3 answers 405 for a read of it by version id.
                if (version.IsDeleteMarker)
                    throw S3Errors.MethodNotAllowed("GET", "DeleteMarker").WithHeader("x-amz-delete-marker", "true").WithHeader("x-amz-version-id", versionId);
                return (bucket, version);
            }
            var latest = bucket.Latest(key) ?? throw S3Errors.NoSuchKey(key);
            if (latest.IsDeleteMarker)
            {
                var error = S3Errors.NoSuchKey(key).WithHeader("x-amz-delete-marker", "true");
                if (bucket.Versioning is not null) error.WithHeader("x-amz-version-id", latest.VersionId);
                throw error;
            }
            return (bucket, latest);
        }
    }

    /// <summary>The plaintext of a stored version: KMS Decrypt of its data key on the reader's behalf, then AES-GCM.</summary>
    public byte[] Read(S3Bucket bucket, S3ObjectVersion version, string accessKeyId)
    {
        var dataKey = sealer.DataKey(bucket.Region, version.Encryption!, accessKeyId);
        try
        {
            return version.Body!.Open(dataKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// DeleteObject: a version id deletes that version for good; otherwise a versioned bucket gets a delete marker and
    /// an unversioned one loses its object. Returns (version id to report, whether it is or was a delete marker).
    /// </summary>
    public (string? VersionId, bool DeleteMarker) DeleteObject(string bucketName, string key, string? versionId)
    {
        lock (Gate)
        {
            var bucket = Bucket(bucketName);
            if (versionId is not null)
            {
                var version = bucket.Versions.GetValueOrDefault(key)?.FirstOrDefault(v => v.VersionId == versionId);
                bucket.Remove(key, versionId);
                return (versionId, version?.IsDeleteMarker == true);
            }
            if (bucket.Versioning is null)
            {
                bucket.Remove(key, S3ObjectVersion.NullVersion);
                return (null, false);
            }
            var marker = new S3ObjectVersion
            {
                Key = key,
                VersionId = bucket.Versioning == "Enabled" ? NewVersionId() : S3ObjectVersion.NullVersion,
                LastModified = clock.UtcNow,
                IsDeleteMarker = true,
            };
            bucket.Add(marker);
            return (marker.VersionId, true);
        }
    }

    public MultipartUpload CreateUpload(string bucketName, string key, ObjectWrite write, string accessKeyId)
    {
        S3Bucket bucket;
        SseChoice choice;
        lock (Gate)
        {
            bucket = Bucket(bucketName);
            choice = Choose(bucket, write.Sse);
        }
        var (encryption, dataKey) = sealer.NewDataKey(bucket.Region, bucket.Name, key, choice, accessKeyId);
        CryptographicOperations.ZeroMemory(dataKey);
        var upload = new MultipartUpload
        {
            UploadId = NewVersionId() + NewVersionId(),
            Key = key,
            Initiated = clock.UtcNow,
            ContentType = write.ContentType,
            Headers = write.Headers,
            Metadata = write.Metadata,
            Encryption = encryption,
            Owner = accessKeyId,
        };
        lock (Gate) Bucket(bucketName).Uploads.Add(upload.UploadId, upload);
        return upload;
    }

    public (S3Bucket Bucket, MultipartUpload Upload) FindUpload(string bucketName, string key, string uploadId)
    {
        lock (Gate)
        {
            var bucket = Bucket(bucketName);
            if (!bucket.Uploads.TryGetValue(uploadId, out var upload) || upload.Key != key) throw S3Errors.NoSuchUpload(uploadId);
            return (bucket, upload);
        }
    }

    /// <summary>UploadPart: S3 unwraps the upload's data key with KMS Decrypt for each part, as AWS does.</summary>
    public MultipartUpload.UploadedPart UploadPart(string bucketName, string key, string uploadId, int partNumber, ReadOnlySpan<byte> body, string accessKeyId)
    {
        if (partNumber is < 1 or > 10_000)
            throw S3Errors.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", partNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (bucket, upload) = FindUpload(bucketName, key, uploadId);
        var dataKey = sealer.DataKey(bucket.Region, upload.Encryption, accessKeyId);
        var part = new MultipartUpload.UploadedPart(partNumber, $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"", body.Length, clock.UtcNow,
            SealedBody.Seal(dataKey, body));
        CryptographicOperations.ZeroMemory(dataKey);
        lock (Gate)
        {
            if (!bucket.Uploads.ContainsKey(uploadId)) throw S3Errors.NoSuchUpload(uploadId);
            upload.Parts[partNumber] = part;
        }
        return part;
    }

    public S3ObjectVersion CompleteUpload(string bucketName, string key, string uploadId, IReadOnlyList<(int Number, string ETag)> parts)
    {
        if (parts.Count == 0) throw S3Errors.MalformedXml();
        for (var i = 1; i < parts.Count; i++)
            if (parts[i].Number <= parts[i - 1].Number) throw S3Errors.InvalidPartOrder();
        MultipartUpload upload;
        List<MultipartUpload.UploadedPart> chosen = [];
        lock (Gate)
        {
            (_, upload) = FindUpload(bucketName, key, uploadId);
            foreach (var (number, etag) in parts)
            {
                if (!upload.Parts.TryGetValue(number, out var part) || part.ETag.Trim('"') != etag.Trim().Trim('"')) throw S3Errors.InvalidPart();
                chosen.Add(part);
            }
            for (var i = 0; i < chosen.Count - 1; i++)
                if (chosen[i].Size < 5 * 1024 * 1024) throw S3Errors.EntityTooSmall(chosen[i].Size);
            Bucket(bucketName).Uploads.Remove(uploadId);
        }
        var md5s = chosen.SelectMany(p => Convert.FromHexString(p.ETag.Trim('"'))).ToArray();
        return Commit(bucketName, new S3ObjectVersion
        {
            Key = key,
            VersionId = "",
            LastModified = clock.UtcNow,
            Size = chosen.Sum(p => p.Size),
            ETag = $"\"{Convert.ToHexStringLower(MD5.HashData(md5s))}-{chosen.Count}\"",
            ContentType = upload.ContentType,
            Headers = upload.Headers,
            Metadata = upload.Metadata,
            Encryption = upload.Encryption,
            Body = SealedBody.Join(chosen.Select(p => p.Body)),
            PartsCount = chosen.Count,
            Owner = upload.Owner,
        });
    }

    public void AbortUpload(string bucketName, string key, string uploadId)
    {
        lock (Gate)
        {
            FindUpload(bucketName, key, uploadId);
            Bucket(bucketName).Uploads.Remove(uploadId);
        }
    }

    /// <summary>Copies one queued version to its rule's destination, re-encrypted under the replica key; sets the statuses.</summary>
    public void Replicate(ReplicationTask task)
    {
        try
        {
            if (task.Generation != Generation) return;
            S3Bucket source;
            S3ObjectVersion version;
            S3Bucket? destination;
            lock (Gate)
            {
                if (!_buckets.TryGetValue(task.SourceBucket, out source!)) return;
                var found = source.Versions.GetValueOrDefault(task.Key)?.FirstOrDefault(v => v.VersionId == task.VersionId);
                if (found is null) return;
                version = found;
                destination = _buckets.GetValueOrDefault(task.Rule.DestinationBucket);
                if (destination is null || destination.Versioning != "Enabled")
                {
                    version.ReplicationStatus = "FAILED";
                    return;
                }
            }
            try
            {
                var plaintext = Read(source, version, version.Owner);
                var choice = version.Encryption!.IsKms
                    ? new SseChoice(BucketEncryption.Kms, task.Rule.ReplicaKmsKeyId, false, null)
                    : new SseChoice(BucketEncryption.S3Managed, null, false, null);
                var (encryption, dataKey) = sealer.NewDataKey(destination.Region, destination.Name, version.Key, choice, version.Owner);
                var body = SealedBody.Seal(dataKey, plaintext);
                CryptographicOperations.ZeroMemory(dataKey);
                Commit(destination.Name, new S3ObjectVersion
                {
                    Key = version.Key,
                    VersionId = version.VersionId,
                    LastModified = version.LastModified,
                    Size = version.Size,
                    ETag = version.ETag,
                    ContentType = version.ContentType,
                    Headers = version.Headers,
                    Metadata = version.Metadata,
                    Encryption = encryption,
                    Body = body,
                    PartsCount = version.PartsCount,
                    Checksum = version.Checksum,
                    Owner = version.Owner,
                    ReplicationStatus = "REPLICA",
                });
                lock (Gate) version.ReplicationStatus = "COMPLETED";
            }
            catch (S3Exception)
            {
                lock (Gate) version.ReplicationStatus = "FAILED";
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pendingReplications);
        }
    }

    public void Reset()
    {
        lock (Gate)
        {
            _buckets.Clear();
            Interlocked.Increment(ref _generation);
        }
    }

    public static string NewVersionId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '.').Replace('/', '_');
}
