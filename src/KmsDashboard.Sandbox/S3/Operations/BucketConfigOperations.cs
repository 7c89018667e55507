namespace KmsDashboard.Sandbox.S3.Operations;

/// <summary>Get/Put/DeleteBucketEncryption, Get/PutBucketVersioning, Get/Put/DeleteBucketReplication, Get/Put/DeleteBucketTagging.</summary>
internal static class BucketConfigOperations
{
    /// <summary>The key is stored as given, unchecked: S3 finds a bad key only at the next write, as AWS does.</summary>
    public static async Task PutBucketEncryptionAsync(S3Call call)
    {
        var root = S3Xml.Parse(await call.ReadBodyAsync());
        if (root.Name.LocalName != "ServerSideEncryptionConfiguration") throw S3Errors.MalformedXml();
        var rules = root.Children("Rule").ToList();
        if (rules.Count != 1) throw S3Errors.MalformedXml();
        var defaults = rules[0].Child("ApplyServerSideEncryptionByDefault") ?? throw S3Errors.MalformedXml();
        var algorithm = defaults.ChildValue("SSEAlgorithm") ?? throw S3Errors.MalformedXml();
        var keyId = defaults.ChildValue("KMSMasterKeyID");
        var bucketKey = rules[0].ChildValue("BucketKeyEnabled") switch
        {
            null => false,
            var text when bool.TryParse(text, out var value) => value,
            _ => throw S3Errors.MalformedXml(),
        };
        call.Store.SetEncryption(call.Bucket, new BucketEncryption(algorithm, string.IsNullOrEmpty(keyId) ? null : keyId, bucketKey));
    }

    public static async Task GetBucketEncryptionAsync(S3Call call)
    {
        BucketEncryption encryption;
        lock (call.Store.Gate) encryption = call.Store.Bucket(call.Bucket).Encryption ?? throw S3Errors.EncryptionNotFound(call.Bucket);
        await S3Xml.WriteAsync(call.Response, S3Xml.E("ServerSideEncryptionConfiguration", S3Xml.E("Rule",
            S3Xml.E("ApplyServerSideEncryptionByDefault",
                S3Xml.E("SSEAlgorithm", encryption.Algorithm),
                encryption.KmsMasterKeyId is null ? null : S3Xml.E("KMSMasterKeyID", encryption.KmsMasterKeyId)),
            S3Xml.E("BucketKeyEnabled", encryption.BucketKeyEnabled ? "true" : "false"))), call.Aborted);
    }

    public static Task DeleteBucketEncryptionAsync(S3Call call)
    {
        call.Store.SetEncryption(call.Bucket, null);
        return call.NoContentAsync();
    }

    public static async Task PutBucketVersioningAsync(S3Call call)
    {
        var root = S3Xml.Parse(await call.ReadBodyAsync());
        if (root.Name.LocalName != "VersioningConfiguration") throw S3Errors.MalformedXml();
        if (root.ChildValue("MfaDelete") == "Enabled") throw S3Errors.NotImplemented("The sandbox does not serve MFA delete.");
        call.Store.SetVersioning(call.Bucket, root.ChildValue("Status") ?? throw S3Errors.MalformedXml());
    }

    public static async Task GetBucketVersioningAsync(S3Call call)
    {
        string? status;
        lock (call.Store.Gate) status = call.Store.Bucket(call.Bucket).Versioning;
        await S3Xml.WriteAsync(call.Response, S3Xml.E("VersioningConfiguration", status is null ? null : S3Xml.E("Status", status)), call.Aborted);
    }

    public static async Task PutBucketReplicationAsync(S3Call call)
    {
        var configuration = ReplicationXml.Read(S3Xml.Parse(await call.ReadBodyAsync()));
        call.Store.SetReplication(call.Bucket, configuration);
    }

    public static async Task GetBucketReplicationAsync(S3Call call)
    {
        BucketReplication configuration;
        lock (call.Store.Gate) configuration = call.Store.Bucket(call.Bucket).Replication ?? throw S3Errors.ReplicationNotFound(call.Bucket);
        await S3Xml.WriteAsync(call.Response, ReplicationXml.Write(configuration), call.Aborted);
    }

    public static Task DeleteBucketReplicationAsync(S3Call call)
    {
        call.Store.SetReplication(call.Bucket, null);
        return call.NoContentAsync();
    }

    public static async Task PutBucketTaggingAsync(S3Call call)
    {
        var root = S3Xml.Parse(await call.ReadBodyAsync());
        if (root.Name.LocalName != "Tagging" || root.Child("TagSet") is not { } set) throw S3Errors.MalformedXml();
        var tags = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in set.Children("Tag"))
        {
            var key = tag.ChildValue("Key") ?? throw S3Errors.MalformedXml();
            var value = tag.ChildValue("Value") ?? "";
            if (key.Length is < 1 or > 128) throw S3Errors.InvalidTag("The TagKey you have provided is invalid");
            if (value.Length > 256) throw S3Errors.InvalidTag("The TagValue you have provided is invalid");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) throw S3Errors.InvalidTag("System tags cannot be added/updated by requester");
            if (!tags.TryAdd(key, value)) throw S3Errors.InvalidTag("Cannot provide multiple Tags with the same key");
        }
        if (tags.Count > 50) throw S3Errors.InvalidTag("Object tags cannot be greater than 50");
        call.Store.SetTags(call.Bucket, tags);
        await call.NoContentAsync();
    }

    public static async Task GetBucketTaggingAsync(S3Call call)
    {
        OrderedDictionary<string, string> tags;
        lock (call.Store.Gate) tags = call.Store.Bucket(call.Bucket).Tags ?? throw S3Errors.NoSuchTagSet(call.Bucket);
        await S3Xml.WriteAsync(call.Response, S3Xml.E("Tagging", S3Xml.E("TagSet",
            tags.Select(t => S3Xml.E("Tag", S3Xml.E("Key", t.Key), S3Xml.E("Value", t.Value))))), call.Aborted);
    }

    public static Task DeleteBucketTaggingAsync(S3Call call)
    {
        call.Store.SetTags(call.Bucket, null);
        return call.NoContentAsync();
    }
}
