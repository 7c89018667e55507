namespace KmsDashboard.Core.Cluster;

/// <summary>
/// A row of <c>cluster_cloudtrail_pacing</c>: the next free CloudTrail request slot of one pacing key (<see cref="Region"/>).
/// Taken with plain SQL (<see cref="PostgresCloudTrailPacing"/>); the type gives <see cref="ClusterDbContext"/> its migrations.
/// </summary>
public sealed class CloudTrailSlotRow
{
    public string Region { get; set; } = "";
    public DateTimeOffset NextSlot { get; set; }
}
