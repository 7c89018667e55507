namespace KmsDashboard.Sandbox.S3;

/// <summary>
/// One bucket: its Region (fixed at creation), configuration, objects (versions newest first per key, keys in order)
/// and multipart uploads. Guarded by <see cref="S3Store.Gate"/>.
/// </summary>
internal sealed class S3Bucket(string name, string region, DateTimeOffset created)
{
    public string Name { get; } = name;
    public string Region { get; } = region;
    public DateTimeOffset CreationDate { get; } = created;
    public string Arn => "arn:aws:s3:::" + Name;

    /// <summary>null (never enabled), Enabled or Suspended.</summary>
    public string? Versioning { get; set; }
    public BucketEncryption? Encryption { get; set; }
    public BucketReplication? Replication { get; set; }
    public OrderedDictionary<string, string>? Tags { get; set; }

    public SortedSet<string> Keys { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<S3ObjectVersion>> Versions { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, MultipartUpload> Uploads { get; } = new(StringComparer.Ordinal);

    /// <summary>The current version of a key (which may be a delete marker).</summary>
    public S3ObjectVersion? Latest(string key) => Versions.TryGetValue(key, out var versions) && versions.Count > 0 ? versions[0] : null;

    public bool IsEmpty => Versions.Count == 0;

    /// <summary>Adds a new current version; without versioning it replaces the "null" version.</summary>
    public void Add(S3ObjectVersion version)
    {
        if (!Versions.TryGetValue(version.Key, out var versions))
        {
            Versions[version.Key] = versions = [];
            Keys.Add(version.Key);
        }
        if (version.VersionId == S3ObjectVersion.NullVersion) versions.RemoveAll(v => v.VersionId == S3ObjectVersion.NullVersion);
        versions.Insert(0, version);
    }

    public bool Remove(string key, string versionId)
    {
        if (!Versions.TryGetValue(key, out var versions)) return false;
        var removed = versions.RemoveAll(v => v.VersionId == versionId) > 0;
        if (versions.Count == 0)
        {
            Versions.Remove(key);
            Keys.Remove(key);
        }
        return removed;
    }
}
