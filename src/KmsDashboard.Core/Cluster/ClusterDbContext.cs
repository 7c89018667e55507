using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Cluster;

/// <summary>
/// The cluster's own tables in the shared PostgreSQL database (migration history <c>__migrations_cluster</c>):
/// <c>cluster_inventory_snapshot</c> and <c>cluster_cloudtrail_pacing</c>, named, typed and constrained exactly as the
/// <c>CREATE TABLE</c> statements of earlier versions made them, so a database they made upgrades in place. PostgreSQL
/// only: on SQLite there is no cluster.
/// </summary>
public sealed class ClusterDbContext(DbContextOptions<ClusterDbContext> options) : DbContext(options)
{
    /// <summary>The store's name: its migration history table.</summary>
    public const string StoreName = "cluster";

    public DbSet<PublishedSnapshotRow> Snapshots => Set<PublishedSnapshotRow>();
    public DbSet<CloudTrailSlotRow> CloudTrailPacing => Set<CloudTrailSlotRow>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<PublishedSnapshotRow>(e =>
        {
            // PostgreSQL's own names for the constraints of the earlier CREATE TABLE (id integer PRIMARY KEY CHECK (id = 1)).
            e.ToTable("cluster_inventory_snapshot", t => t.HasCheckConstraint("cluster_inventory_snapshot_id_check", "id = 1"));
            e.HasKey(x => x.Id).HasName("cluster_inventory_snapshot_pkey");
            e.Property(x => x.Id).HasColumnName("id").HasColumnType("integer").ValueGeneratedNever();
            e.Property(x => x.Term).HasColumnName("term").HasColumnType("bigint");
            e.Property(x => x.Generation).HasColumnName("generation").HasColumnType("bigint");
            e.Property(x => x.Leader).HasColumnName("leader").HasColumnType("text");
            e.Property(x => x.PublishedAt).HasColumnName("published_at").HasColumnType("timestamptz");
            e.Property(x => x.ReadAt).HasColumnName("read_at").HasColumnType("timestamptz");
            e.Property(x => x.Data).HasColumnName("data").HasColumnType("bytea");
        });
        model.Entity<CloudTrailSlotRow>(e =>
        {
            e.ToTable("cluster_cloudtrail_pacing");
            e.HasKey(x => x.Region).HasName("cluster_cloudtrail_pacing_pkey");
            e.Property(x => x.Region).HasColumnName("region").HasColumnType("text");
            e.Property(x => x.NextSlot).HasColumnName("next_slot").HasColumnType("timestamptz");
        });
    }
}
