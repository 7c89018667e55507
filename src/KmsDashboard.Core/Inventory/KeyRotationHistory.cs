namespace KmsDashboard.Core.Inventory;

/// <summary>The rotations of a key (read on demand: <c>ListKeyRotations</c> has a low quota), newest first.</summary>
public sealed record KeyRotationHistory(IReadOnlyList<KeyRotationEntry> Rotations)
{
    /// <summary>AWS allows at most this many on-demand rotations per key.</summary>
    public const int OnDemandLimit = 25;

    public int OnDemandUsed => Rotations.Count(r => r.OnDemand);
}
