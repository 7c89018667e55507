using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Runbooks;

/// <summary>What the rotation and retire runbooks know and have made so far; saved after every step.</summary>
public sealed class KeySetRunbookState : IRunbookState
{
    public string OldKeyId { get; set; } = "";
    public string OldPrimaryRegion { get; set; } = "";
    /// <summary>Every Region of the old key set, its primary first.</summary>
    public List<string> OldRegions { get; set; } = [];
    /// <summary>Old key ARN per Region.</summary>
    public Dictionary<string, string> OldArns { get; set; } = [];
    public List<AliasMove> Aliases { get; set; } = [];

    public string NewDescription { get; set; } = "";
    public string NewPolicy { get; set; } = "";
    public Dictionary<string, string> NewTags { get; set; } = [];
    public bool RotationEnabled { get; set; }
    public int? RotationPeriodDays { get; set; }
    public string KeySpec { get; set; } = "SYMMETRIC_DEFAULT";
    public string KeyUsage { get; set; } = "ENCRYPT_DECRYPT";

    /// <summary>Set as soon as CreateKey answered, so a resumed step never makes a second key.</summary>
    public string? NewKeyId { get; set; }
    public Dictionary<string, string> NewArns { get; set; } = [];

    /// <summary>Callers CloudTrail shows naming the key id or ARN rather than an alias (they will not follow the alias).</summary>
    public List<string> DirectCallers { get; set; } = [];

    /// <summary>Ciphertext made under the old key at the choose step, and the SHA-256 of its random plaintext.</summary>
    public string? ProbeCiphertext { get; set; }
    public string? ProbeDigest { get; set; }

    public DateTimeOffset? AliasesMovedAt { get; set; }
    public int DrainHours { get; set; } = 24;
    public DateTimeOffset? DrainCheckedAt { get; set; }
    public string? DrainOverrideReason { get; set; }
    public string? DrainOverrideBy { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public DateTimeOffset? WaitUntil { get; set; }
    public int? PendingWindowDays { get; set; }
    public DateTimeOffset? DeletionScheduledAt { get; set; }

    /// <summary>Step 6's position per dependent bucket (saved after every verified object).</summary>
    public List<BucketReencryption> Reencrypt { get; set; } = [];

    public IEnumerable<KeyRef> AffectedKeys =>
        OldRegions.Select(r => new KeyRef(r, OldKeyId)).Concat(NewKeyId is null ? [] : OldRegions.Select(r => new KeyRef(r, NewKeyId)));

    public string? AliasIn(string region) => Aliases.FirstOrDefault(a => a.Region == region)?.AliasName;

    public IEnumerable<string> ReplicaRegions => OldRegions.Where(r => r != OldPrimaryRegion);
}
