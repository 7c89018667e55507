using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Findings;

/// <summary>The findings' store (<c>findings.db</c>, or the shared PostgreSQL database): findings with first/last seen, suppressions, evaluation totals.</summary>
public sealed class FindingsDbContext(DbContextOptions<FindingsDbContext> options) : DbContext(options)
{
    /// <summary>The store's name: its SQLite file <c>findings.db</c> and its migration history.</summary>
    public const string StoreName = "findings";

    public DbSet<FindingRecord> Findings => Set<FindingRecord>();
    public DbSet<SuppressionRecord> Suppressions => Set<SuppressionRecord>();
    public DbSet<EvaluationRecord> Evaluations => Set<EvaluationRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<FindingRecord>(e =>
        {
            e.ToTable("findings");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.FixedAt);
            e.HasIndex(x => x.KeyId);
            e.Property(x => x.MonthlySaving).HasConversion<double?>();
        });
        model.Entity<SuppressionRecord>(e =>
        {
            e.ToTable("finding_suppressions");
            e.HasIndex(x => x.FindingId);
        });
        model.Entity<EvaluationRecord>(e =>
        {
            e.ToTable("finding_evaluations");
            e.HasIndex(x => x.At);
        });
    }
}
