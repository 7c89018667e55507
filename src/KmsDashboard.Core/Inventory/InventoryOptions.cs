using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Core.Inventory;

/// <summary>The <c>Inventory</c> section: how often and how hard the inventory reads KMS.</summary>
public sealed class InventoryOptions : IValidatableObject
{
    public const string Section = "Inventory";

    /// <summary>Time between background refreshes.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A Region still not read after this long counts as failed; the others do not wait for it.</summary>
    public TimeSpan RegionTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The share of each KMS request quota the inventory may use (the rest is left to other tools).</summary>
    [Range(0.05, 1.0)]
    public double QuotaShare { get; set; } = 0.9;

    /// <summary>At most this many KMS requests under way at once in one Region.</summary>
    [Range(1, 1024)]
    public int MaxRequestsInFlightPerRegion { get; set; } = 64;

    /// <summary>Fill each key's last use (GetKeyLastUsage, 5 calls a second per Region) in the background.</summary>
    public bool ReadLastUse { get; set; } = true;

    /// <summary>How often keys in Creating, Updating or PendingImport are re-read until they settle.</summary>
    public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Start the background refresh when the app starts (off in some tests).</summary>
    public bool BackgroundRefresh { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RefreshInterval < TimeSpan.FromSeconds(5))
            yield return new ValidationResult($"{Section}:RefreshInterval must be at least 00:00:05 (it is {RefreshInterval}).", [nameof(RefreshInterval)]);
        if (SettleInterval < TimeSpan.FromMilliseconds(100))
            yield return new ValidationResult($"{Section}:SettleInterval must be at least 00:00:00.1 (it is {SettleInterval}).", [nameof(SettleInterval)]);
        if (RegionTimeout < TimeSpan.FromSeconds(1))
            yield return new ValidationResult($"{Section}:RegionTimeout must be at least 00:00:01 (it is {RegionTimeout}).", [nameof(RegionTimeout)]);
    }
}
