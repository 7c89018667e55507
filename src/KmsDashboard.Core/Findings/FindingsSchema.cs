using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// Columns added to the findings store after its first release, added in place to a <c>findings.db</c> an older version
/// made (<c>EnsureCreated</c> never alters an existing file). Kept apart from the store so moving to EF migrations
/// (branch pgstore) replaces this one file: each entry there becomes a migration.
/// </summary>
internal static class FindingsSchema
{
    internal static readonly IReadOnlyList<(string Table, string Column, string Definition)> AddedColumns =
    [
        // Multi-account: the key's account ("" for the single account).
        ("findings", "Account", "TEXT NOT NULL DEFAULT ''"),
    ];

    internal static async Task UpgradeAsync(FindingsDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite()) return;
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
                    logger.LogInformation("Findings store upgraded: added {Table}.{Column}", table, column);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
