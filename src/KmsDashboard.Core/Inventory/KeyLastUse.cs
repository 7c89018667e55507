namespace KmsDashboard.Core.Inventory;

/// <summary>
/// <c>GetKeyLastUsage</c> for one key: the last cryptographic operation (null when none was seen since
/// <see cref="TrackingStartDate"/>).
/// </summary>
public sealed record KeyLastUse(string? Operation, DateTimeOffset? Timestamp, DateTimeOffset? TrackingStartDate);
