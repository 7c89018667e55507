namespace KmsDashboard.Core.Inventory;

/// <summary>
/// How the inventory last fared in one Region: when its data was read, and if the latest attempt failed, the
/// error and since when it has been failing (its last good data stays in the snapshot).
/// </summary>
public sealed record RegionReadStatus(string Region, DateTimeOffset? ReadAt, string? Error = null, DateTimeOffset? FailingSince = null, int KeyCount = 0)
{
    public bool Healthy => Error is null && ReadAt is not null;
    public bool NeverRead => ReadAt is null;
}
