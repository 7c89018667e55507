namespace KmsDashboard.Core.Cluster;

/// <summary>
/// The one row of <c>cluster_inventory_snapshot</c>: the leader's term, the publish generation, who published it and
/// when, and the Brotli-compressed snapshot. Written and read with plain SQL (<see cref="InventoryLeadership"/>); the
/// type gives <see cref="ClusterDbContext"/> its migrations.
/// </summary>
public sealed class PublishedSnapshotRow
{
    /// <summary>Always 1 (a check constraint says so).</summary>
    public int Id { get; set; }
    public long Term { get; set; }
    public long Generation { get; set; }
    public string Leader { get; set; } = "";
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public byte[]? Data { get; set; }
}
