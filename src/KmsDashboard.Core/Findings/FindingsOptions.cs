using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace KmsDashboard.Core.Findings;

/// <summary>The <c>Findings</c> section: every check's thresholds, validated at start.</summary>
public sealed partial class FindingsOptions : IValidatableObject
{
    public const string Section = "Findings";

    /// <summary>Evaluate after every inventory refresh (and when the inventory changes after an action).</summary>
    public bool EvaluateAfterRefresh { get; set; } = true;

    /// <summary>Check 3: the longest automatic rotation period allowed, in days (AWS allows 90–2560).</summary>
    [Range(90, 2560)]
    public int MaxRotationPeriodDays { get; set; } = 365;

    /// <summary>Check 3: a tag whose value is the date (yyyy-MM-dd, first in the value) of an incident the key was exposed in.</summary>
    public string IncidentTag { get; set; } = "Incident";

    /// <summary>Check 4: accounts (12 digits) allowed to use keys; cross-account access to others is a finding.</summary>
    public string[] AllowedAccounts { get; set; } = [];

    /// <summary>Check 5: a key with no successful request in this many days is idle.</summary>
    [Range(1, 90)]
    public int IdleDays { get; set; } = 90;

    /// <summary>Check 6: cost-allocation tags every customer managed key should carry.</summary>
    public string[] RequiredTags { get; set; } = ["CostCenter", "Environment", "Owner"];

    /// <summary>Check 7: the tag naming a key's owner.</summary>
    [Required(AllowEmptyStrings = false)]
    public string OwnerTag { get; set; } = "Owner";

    /// <summary>Check 8: a key set not drilled within this many days is a finding.</summary>
    [Range(1, 3650)]
    public int DrillMaxAgeDays { get; set; } = 90;

    /// <summary>Check 9: requests in the last 30 days (all Regions of the key) before envelope encryption is suggested.</summary>
    [Range(1, long.MaxValue)]
    public long EnvelopeMinMonthlyRequests { get; set; } = 100_000;

    /// <summary>Check 9: the share of Encrypt and Decrypt in those requests above which the key is used without data keys.</summary>
    [Range(0.5, 1.0)]
    public double EnvelopeDirectShare { get; set; } = 0.85;

    /// <summary>Check 9: items encrypted per data key assumed when estimating the saving (a data key cache).</summary>
    [Range(2, 1_000_000)]
    public int EnvelopeItemsPerDataKey { get; set; } = 100;

    /// <summary>Check 10: a key pending deletion used within this many days is critical.</summary>
    [Range(1, 90)]
    public int PendingDeletionUseDays { get; set; } = 7;

    /// <summary>Check 10: the shortest acceptable deletion waiting period, in days (AWS allows 7–30).</summary>
    [Range(7, 30)]
    public int MinPendingWindowDays { get; set; } = 14;

    /// <summary>Check 11: the tag naming a key's environment.</summary>
    [Required(AllowEmptyStrings = false)]
    public string EnvironmentTag { get; set; } = "Environment";

    /// <summary>Check 11: environment names recognised in tag values and in callers' role and user names.</summary>
    public string[] Environments { get; set; } = ["prod", "staging", "test", "dev", "ci"];

    /// <summary>Check 12: a key whose calls without a VPC endpoint exceed this share (per Region) is a finding.</summary>
    [Range(0.0, 1.0)]
    public double VpcEndpointMaxPublicShare { get; set; } = 0.5;

    /// <summary>Checks 1, 11, 12: how far back CloudTrail is read.</summary>
    public TimeSpan CloudTrailWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Checks 1, 11, 12: LookupEvents pages (50 events, 2 a second per Region) read per Region per evaluation, shared by
    /// the seven cryptographic operations looked up (at least one page each; 0 turns the CloudTrail checks off).
    /// </summary>
    [Range(0, 700)]
    public int CloudTrailPagesPerRegion { get; set; } = 14;

    /// <summary>How long CloudWatch usage and CloudTrail reads are reused between evaluations.</summary>
    public TimeSpan ExtraReadsCacheDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest a suppression may last, in days.</summary>
    [Range(1, 3650)]
    public int MaxSuppressionDays { get; set; } = 365;

    /// <summary>How long fixed findings and evaluation history are kept.</summary>
    [Range(1, 3650)]
    public int HistoryDays { get; set; } = 180;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var account in AllowedAccounts)
            if (!AccountPattern().IsMatch(account ?? ""))
                yield return new ValidationResult($"{Section}:AllowedAccounts: '{account}' is not a 12-digit AWS account id.", [nameof(AllowedAccounts)]);
        if (RequiredTags.Any(string.IsNullOrWhiteSpace))
            yield return new ValidationResult($"{Section}:RequiredTags must not hold an empty tag key.", [nameof(RequiredTags)]);
        if (Environments.Any(string.IsNullOrWhiteSpace))
            yield return new ValidationResult($"{Section}:Environments must not hold an empty name.", [nameof(Environments)]);
        if (CloudTrailWindow < TimeSpan.FromHours(1) || CloudTrailWindow > TimeSpan.FromDays(90))
            yield return new ValidationResult($"{Section}:CloudTrailWindow must be between 01:00:00 and 90.00:00:00 (it is {CloudTrailWindow}).", [nameof(CloudTrailWindow)]);
        if (ExtraReadsCacheDuration < TimeSpan.Zero)
            yield return new ValidationResult($"{Section}:ExtraReadsCacheDuration must not be negative (it is {ExtraReadsCacheDuration}).", [nameof(ExtraReadsCacheDuration)]);
    }

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountPattern();
}
