using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Approvals;

/// <summary>The approval requests' store (<c>approvals.db</c>): a row per request, kept after it is decided.</summary>
public sealed class ApprovalDbContext(DbContextOptions<ApprovalDbContext> options) : DbContext(options)
{
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
