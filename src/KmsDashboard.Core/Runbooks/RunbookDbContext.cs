using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Runbooks;

/// <summary>The runbooks' store (<c>runbooks.db</c>, or the shared PostgreSQL database): a row per run, per step and per AWS call.</summary>
public sealed class RunbookDbContext(DbContextOptions<RunbookDbContext> options) : DbContext(options)
{
    /// <summary>The store's name: its SQLite file <c>runbooks.db</c> and its migration history.</summary>
    public const string StoreName = "runbooks";

    public DbSet<RunbookRecord> Runbooks => Set<RunbookRecord>();
    public DbSet<RunbookStepRecord> Steps => Set<RunbookStepRecord>();
    public DbSet<RunbookCallRecord> Calls => Set<RunbookCallRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<RunbookRecord>(e =>
        {
            e.ToTable("runbooks");
            e.Property(x => x.Status).HasConversion<string>();
            e.HasIndex(x => x.Status);
            e.HasIndex(x => x.KeyId);
            e.HasMany(x => x.Steps).WithOne().HasForeignKey(s => s.RunbookId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<RunbookStepRecord>(e =>
        {
            e.ToTable("runbook_steps");
            e.Property(x => x.State).HasConversion<string>();
            e.HasIndex(x => new { x.RunbookId, x.Index }).IsUnique();
        });
        model.Entity<RunbookCallRecord>(e =>
        {
            e.ToTable("runbook_calls");
            e.HasIndex(x => new { x.RunbookId, x.StepIndex });
        });
    }
}
