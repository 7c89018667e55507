using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Storage;

/// <summary>Brings a store's schema up to date at start: its migrations for the active provider, applied in order.</summary>
public static class DashboardStoreSchema
{
    /// <summary>
    /// Applies the store's pending migrations (creating the SQLite file or the PostgreSQL tables on first start). A
    /// SQLite file made before the stores had migrations (by <c>EnsureCreated</c>, recognised by
    /// <paramref name="existingTable"/> without a migration history) is first brought to the first migration's schema
    /// by <paramref name="legacyUpgrade"/> and recorded as at that migration, so existing files keep opening.
    /// </summary>
    public static async Task MigrateAsync(DbContext db, string existingTable, ILogger logger, CancellationToken cancellationToken,
        Func<DbContext, CancellationToken, Task>? legacyUpgrade = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(logger);
        var store = db.GetType().Name;
        if (db.Database.IsSqlite())
        {
            var history = db.GetService<IHistoryRepository>();
            if (!await history.ExistsAsync(cancellationToken) && await SqliteTableExistsAsync(db, existingTable, cancellationToken))
            {
                if (legacyUpgrade is not null) await legacyUpgrade(db, cancellationToken);
                var first = db.GetService<IMigrationsAssembly>().Migrations.Keys.First();
                await ExecuteAsync(db, history.GetCreateIfNotExistsScript(), cancellationToken);
                await ExecuteAsync(db, history.GetInsertScript(new HistoryRow(first, ProductInfo.GetVersion())), cancellationToken);
                logger.LogInformation("The {Store} file {DataSource} predates migrations: recorded as at {Migration}", store, db.Database.GetDbConnection().DataSource, first);
            }
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0) return;
        logger.LogInformation("Applying {Migrations} to {Store} at {DataSource}", string.Join(", ", pending), store, DataSource(db));
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Runs generated SQL as it is (ExecuteSqlRaw would read its braces as placeholders).</summary>
    private static async Task ExecuteAsync(DbContext db, string sql, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string DataSource(DbContext db)
    {
        var connection = db.Database.GetDbConnection();
        return db.Database.IsSqlite() ? connection.DataSource : $"{connection.DataSource}/{connection.Database}";
    }

    private static async Task<bool> SqliteTableExistsAsync(DbContext db, string table, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
            command.Parameters.Add(new SqliteParameter("$name", table));
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
