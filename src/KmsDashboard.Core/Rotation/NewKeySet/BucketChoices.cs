using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Core.Rotation.NewKeySet;

/// <summary>Which of the account's buckets a new key set can become the default encryption of, from the shared bucket catalog.</summary>
public static class BucketChoices
{
    /// <summary>Every bucket of <paramref name="snapshot"/>, selectable when it lives in one of <paramref name="regions"/>; the others say why not.</summary>
    public static IReadOnlyList<BucketChoice> From(BucketCatalogSnapshot snapshot, IReadOnlyCollection<string> regions) =>
        [.. snapshot.Buckets.Select(b => From(b, regions)).OrderBy(c => c.Selectable ? 0 : 1).ThenBy(c => c.Name, StringComparer.Ordinal)];

    private static BucketChoice From(BucketFacts bucket, IReadOnlyCollection<string> regions)
    {
        var current = Describe(bucket.Encryption);
        if (bucket.Region is null)
            return new BucketChoice(bucket.Name, null, current, false, $"Its Region could not be read ({bucket.Error ?? "unknown error"}), so no key can be chosen for it.");
        if (!regions.Contains(bucket.Region))
            return new BucketChoice(bucket.Name, bucket.Region, current, false,
                $"It is in {bucket.Region}, where the new key set has no key: S3 encrypts with a key in the bucket's own Region. Add {bucket.Region} as a replica Region to choose it.");
        return new BucketChoice(bucket.Name, bucket.Region, current, true,
            bucket.Failing ? $"Its configuration could not be read just now ({bucket.Error}); the runbook reads it again before changing it." : null);
    }

    /// <summary>A default encryption as an operator reads it: "SSE-KMS alias/x (bucket key on)", "SSE-S3", "none".</summary>
    public static string Describe(BucketDefaultEncryption? encryption) => encryption switch
    {
        null => "none",
        { UsesKms: true } e => $"{(e.Algorithm == "aws:kms:dsse" ? "DSSE-KMS" : "SSE-KMS")} {e.KmsMasterKeyId ?? "(the AWS managed key aws/s3)"}{(e.BucketKeyEnabled ? " (bucket key on)" : "")}",
        { Algorithm: "AES256" } => "SSE-S3",
        var e => e.Algorithm,
    };
}
