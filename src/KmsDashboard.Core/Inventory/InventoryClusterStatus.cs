namespace KmsDashboard.Core.Inventory;

/// <summary>
/// This instance's place in the cluster: its name, whether it leads, which instance published the snapshot it serves and
/// when. <see cref="Leader"/> is null until a snapshot has been published.
/// </summary>
public sealed record InventoryClusterStatus(string Instance, bool IsLeader, string? Leader, DateTimeOffset? PublishedAt);
