using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Drills;

/// <summary>The failover drills' store (<c>drills.db</c>, or the shared PostgreSQL database): a row per completed drill.</summary>
public sealed class DrillDbContext(DbContextOptions<DrillDbContext> options) : DbContext(options)
{
    /// <summary>The store's name: its SQLite file <c>drills.db</c> and its migration history.</summary>
    public const string StoreName = "drills";

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
