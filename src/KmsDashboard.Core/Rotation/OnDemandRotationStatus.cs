using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Rotation;

/// <summary>
/// A key set's rotation as the on-demand wizard shows it, read fresh from its primary: current key material, history,
/// on-demand rotations used of 25, and the 20-minute window before a scheduled rotation in which AWS refuses one.
/// </summary>
public sealed record OnDemandRotationStatus
{
    /// <summary>AWS refuses an on-demand rotation when an automatic one is due within this time.</summary>
    public static readonly TimeSpan ConflictWindow = TimeSpan.FromMinutes(20);

    public required string KeyId { get; init; }
    public required string Name { get; init; }
    /// <summary>The account the key set lives in ("" in the single-account set-up) and how it is shown.</summary>
    public string Account { get; init; } = "";
    public string AccountLabel { get; init; } = "";
    public required string PrimaryRegion { get; init; }
    /// <summary>The Regions of the set the dashboard reads, primary first: where the round trips run.</summary>
    public required IReadOnlyList<string> Regions { get; init; }
    public required DateTimeOffset ReadAt { get; init; }
    /// <summary>Null when the key can rotate; else why KMS cannot rotate it.</summary>
    public string? Unavailable { get; init; }
    public string State { get; init; } = "";
    public string? CurrentKeyMaterialId { get; init; }
    public bool AutomaticEnabled { get; init; }
    public int? PeriodInDays { get; init; }
    public DateTimeOffset? NextRotationDate { get; init; }
    /// <summary>Set while an on-demand rotation is under way.</summary>
    public DateTimeOffset? OnDemandRotationStartDate { get; init; }
    public KeyRotationHistory History { get; init; } = new([]);

    /// <summary>Each Region's key state as the inventory last read it: a Disabled replica rotates too, but its round trip will fail.</summary>
    public IReadOnlyDictionary<string, string> RegionStates { get; init; } = new Dictionary<string, string>();

    /// <summary>Regions whose key is not Enabled (by the inventory), where Encrypt and Decrypt will be refused.</summary>
    public IReadOnlyList<string> UnusableRegions => [.. Regions.Where(r => RegionStates.TryGetValue(r, out var state) && state != "Enabled")];

    public int OnDemandUsed => History.OnDemandUsed;
    public int OnDemandLeft => Math.Max(0, KeyRotationHistory.OnDemandLimit - OnDemandUsed);

    /// <summary>From when AWS refuses on-demand rotation before the next scheduled one (null when rotation is off).</summary>
    public DateTimeOffset? ConflictWindowStart => AutomaticEnabled && NextRotationDate is { } next ? next - ConflictWindow : null;

    public bool InConflictWindow => ConflictWindowStart is { } start && ReadAt >= start && ReadAt <= NextRotationDate;
}
