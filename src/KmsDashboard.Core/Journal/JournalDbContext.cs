using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Journal;

/// <summary>The action journal's store (<c>journal.db</c>, or the shared PostgreSQL database).</summary>
public sealed class JournalDbContext(DbContextOptions<JournalDbContext> options) : DbContext(options)
{
    /// <summary>The store's name: its SQLite file <c>journal.db</c> and its migration history.</summary>
    public const string StoreName = "journal";

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
            e.HasIndex(x => x.Outcome);
            e.HasMany(x => x.Calls).WithOne().HasForeignKey(c => c.JournalEntryId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<JournalCall>(e =>
        {
            e.ToTable("journal_calls");
            e.HasIndex(x => x.Region);
        });
    }

    /// <summary>
    /// Columns added since the first version, as (table, column, SQLite definition). <c>EnsureCreated</c> builds new files
    /// with them; <see cref="UpgradeAsync"/> adds them to files an older version created.
    /// </summary>
    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("journal_entries", "UserId", "TEXT NOT NULL DEFAULT ''"),
        ("journal_entries", "PreviousHash", "TEXT NOT NULL DEFAULT ''"),
        ("journal_entries", "Hash", "TEXT NOT NULL DEFAULT ''"),
        ("journal_entries", "Seal", "TEXT NOT NULL DEFAULT ''"),
        ("journal_calls", "Verification", "TEXT NULL"),
        ("journal_calls", "VerificationNote", "TEXT NULL"),
    ];

    /// <summary>
    /// Adds the missing columns (and the outcome index) to a journal file an older version created with
    /// <c>EnsureCreated</c>, bringing it to the first migration's schema.
    /// </summary>
    internal static async Task UpgradeAsync(DbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            foreach (var group in AddedColumns.GroupBy(c => c.Table))
            {
                var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = $"PRAGMA table_info(\"{group.Key}\")";
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken)) existing.Add(reader.GetString(1));
                }
                foreach (var (table, column, definition) in group.Where(c => !existing.Contains(c.Column)))
                {
                    await using var alter = connection.CreateCommand();
                    alter.CommandText = $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {definition}";
                    await alter.ExecuteNonQueryAsync(cancellationToken);
                    logger.LogInformation("Journal upgraded: added {Table}.{Column}", table, column);
                }
            }
            await using var index = connection.CreateCommand();
            index.CommandText = "CREATE INDEX IF NOT EXISTS \"IX_journal_entries_Outcome\" ON \"journal_entries\" (\"Outcome\")";
            await index.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
