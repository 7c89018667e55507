using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Approvals;

/// <summary>The approval requests' store (<c>approvals.db</c>, or the shared PostgreSQL database): a row per request, kept after it is decided.</summary>
public sealed class ApprovalDbContext(DbContextOptions<ApprovalDbContext> options) : DbContext(options)
{
    /// <summary>The store's name: its SQLite file <c>approvals.db</c> and its migration history.</summary>
    public const string StoreName = "approvals";

    internal DbSet<ApprovalRecord> Requests => Set<ApprovalRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ApprovalRecord>(e =>
        {
            e.ToTable("approval_requests");
            e.Property(x => x.Kind).HasConversion<string>();
            e.Property(x => x.Status).HasConversion<string>();
            e.HasIndex(x => x.Status);
            e.HasIndex(x => x.KeyId);
            e.HasIndex(x => x.RequestedAt);
        });
    }
}
