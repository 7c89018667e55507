namespace KmsDashboard.Core.Inventory;

/// <summary>
/// How the inventory last fared in one account: its Regions' statuses, and when the role could not be assumed, that
/// error and since when (its last good keys stay in the snapshot, as a failing Region's do).
/// </summary>
public sealed record AccountReadStatus(string Id, string Name, IReadOnlyDictionary<string, RegionReadStatus> Regions,
    string? AssumeError = null, DateTimeOffset? AssumeFailingSince = null)
{
    public string Label => string.IsNullOrEmpty(Name) || Name == Id ? Id : $"{Name} ({Id})";

    /// <summary>The role could not be assumed, or a Region of the account failed its latest read.</summary>
    public string? Error => AssumeError ?? (Regions.Values.Where(r => r.Error is not null).Select(r => $"{r.Region}: {r.Error}").ToList() is { Count: > 0 } e ? string.Join("; ", e) : null);

    public DateTimeOffset? FailingSince => AssumeFailingSince ?? Regions.Values.Where(r => r.FailingSince is not null).Min(r => r.FailingSince);

    /// <summary>The oldest Region read of the account (null while a Region was never read).</summary>
    public DateTimeOffset? ReadAt => Regions.Count == 0 || Regions.Values.Any(r => r.ReadAt is null) ? null : Regions.Values.Min(r => r.ReadAt);

    public int KeyCount => Regions.Values.Sum(r => r.KeyCount);

    public bool Healthy => Error is null && ReadAt is not null;
}
