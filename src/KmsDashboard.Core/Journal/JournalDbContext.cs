using Microsoft.EntityFrameworkCore;

namespace KmsDashboard.Core.Journal;

/// <summary>The action journal's SQLite store.</summary>
public sealed class JournalDbContext(DbContextOptions<JournalDbContext> options) : DbContext(options)
{
    public DbSet<JournalEntry> Entries => Set<JournalEntry>();
    public DbSet<JournalCall> Calls => Set<JournalCall>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<JournalEntry>(e =>
        {
            e.ToTable("journal_entries");
            e.HasIndex(x => x.At);
            e.HasIndex(x => x.KeyId);
            e.HasIndex(x => x.User);
            e.HasMany(x => x.Calls).WithOne().HasForeignKey(c => c.JournalEntryId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<JournalCall>(e =>
        {
            e.ToTable("journal_calls");
            e.HasIndex(x => x.Region);
        });
    }
}
