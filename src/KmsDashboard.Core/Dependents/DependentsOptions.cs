using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Dependents;

/// <summary>The <c>Dependents</c> section: how the dashboard reads what depends on a key (S3, grants, CloudTrail).</summary>
public sealed class DependentsOptions : IValidatableObject
{
    public const string Section = "Dependents";

    /// <summary>How long the account's bucket configuration, once read, is served before it is read again.</summary>
    public TimeSpan BucketCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bucket configuration requests (location, encryption, replication) per second per Region.</summary>
    [Range(1, 5500)]
    public double S3ConfigRequestsPerSecond { get; set; } = 50;

    /// <summary>Buckets read at once per Region.</summary>
    [Range(1, 256)]
    public int S3ConcurrencyPerRegion { get; set; } = 8;

    /// <summary>KMS ListGrants requests per second per Region (well under KMS's quota, shared with other tools).</summary>
    [Range(1, 1000)]
    public double ListGrantsPerSecond { get; set; } = 20;

    /// <summary>CloudTrail pages (50 events each, two a second per Region) counted per Region; the newest events count first.</summary>
    [Range(1, 2000)]
    public int MaxCloudTrailPagesPerRegion { get; set; } = 10;

    /// <summary>Event ids kept per caller as evidence.</summary>
    [Range(1, 50)]
    public int EvidencePerCaller { get; set; } = 3;

    /// <summary>Object scans: HeadObject requests per second per bucket (S3 allows 5,500 GET/HEAD per prefix).</summary>
    [Range(1, 5500)]
    public double ScanRequestsPerSecond { get; set; } = 5000;

    /// <summary>Object scans: HeadObject requests under way at once per scan.</summary>
    [Range(1, 1024)]
    public int ScanConcurrency { get; set; } = 64;

    /// <summary>Object scans: keys per ListObjectsV2 page (S3's maximum is 1,000); the scan saves its place after each page.</summary>
    [Range(1, 1000)]
    public int ScanPageSize { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BucketCacheDuration < TimeSpan.Zero)
            yield return new ValidationResult($"{Section}:BucketCacheDuration must not be negative (it is {BucketCacheDuration}).", [nameof(BucketCacheDuration)]);
    }
}
