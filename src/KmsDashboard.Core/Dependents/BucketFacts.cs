namespace KmsDashboard.Core.Dependents;

/// <summary>
/// One bucket's encryption and replication configuration as last read. A bucket that could not be read carries the
/// error and since when it has been failing; its last good configuration, if any, is kept.
/// </summary>
public sealed record BucketFacts
{
    public required string Name { get; init; }
    /// <summary>The account the bucket belongs to ("" in the single-account set-up).</summary>
    public string Account { get; init; } = "";
    /// <summary>The bucket's Region; null when even its location could not be read.</summary>
    public string? Region { get; init; }
    public DateTimeOffset? CreationDate { get; init; }
    /// <summary>Null when the bucket has no default encryption (or it was never read).</summary>
    public BucketDefaultEncryption? Encryption { get; init; }
    public IReadOnlyList<ReplicationRuleFacts> ReplicationRules { get; init; } = [];
    /// <summary>When the configuration shown was read (null when it never was).</summary>
    public DateTimeOffset? ReadAt { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? FailingSince { get; init; }

    public bool Failing => Error is not null;
    public string Arn => $"arn:aws:s3:::{Name}";
}
