namespace KmsDashboard.Core.Inventory;

/// <summary>
/// <c>GetKeyLastUsage</c> for one key: the last cryptographic operation (null when none was seen since
/// <see cref="TrackingStartDate"/>). <see cref="Unavailable"/> says why it cannot be read at all (an endpoint that does
/// not serve GetKeyLastUsage, such as moto).
/// </summary>
public sealed record KeyLastUse(string? Operation, DateTimeOffset? Timestamp, DateTimeOffset? TrackingStartDate, string? Unavailable = null);
