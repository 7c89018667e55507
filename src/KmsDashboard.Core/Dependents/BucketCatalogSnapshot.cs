namespace KmsDashboard.Core.Dependents;

/// <summary>An account's buckets (or every account's, each naming its own) and their configuration at one moment; immutable and shared.</summary>
public sealed record BucketCatalogSnapshot(IReadOnlyList<BucketFacts> Buckets, DateTimeOffset? ReadAt, string? Error = null, DateTimeOffset? FailingSince = null)
{
    public static readonly BucketCatalogSnapshot Empty = new([], null);

    /// <summary>Buckets whose configuration could not be read (shown as failing, never hidden).</summary>
    public IEnumerable<BucketFacts> FailingBuckets => Buckets.Where(b => b.Failing);

    public BucketFacts? Find(string name) => Buckets.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.Ordinal));
}
