using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Drills;

/// <summary>The failover drills' SQLite store (<c>drills.db</c>): a row per completed drill.</summary>
public sealed class DrillDbContext(DbContextOptions<DrillDbContext> options) : DbContext(options)
{
    internal DbSet<DrillRecord> Drills => Set<DrillRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<DrillRecord>(e =>
        {
            e.ToTable("failover_drills");
            e.HasIndex(x => x.KeyId);
            e.HasIndex(x => x.CompletedAt);
        });
    }
}
