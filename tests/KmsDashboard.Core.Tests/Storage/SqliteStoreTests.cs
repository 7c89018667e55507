using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace KmsDashboard.Core.Tests.Storage;

/// <summary>Issue 15: SQLite stays the default, one file per store in the data directory, upgraded by its own migrations.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("kmsdashboard-sqlitestore-").FullName;

    [Fact]
    public async Task ByDefaultEveryStoreIsAFileInTheDataDirectoryAndTheKeysStayFiles()
    {
        await using (var app = new StoreInstance(_data, postgres: null))
        {
            await app.Journal.AppendAsync(new JournalEntry { At = DateTime.UtcNow, User = "alice", Action = "DisableKey", Outcome = "Succeeded" }, default);
            await app.Runbooks.EnsureCreatedAsync(default);
            await app.Findings.EnsureCreatedAsync(default);
            await app.Drills.EnsureCreatedAsync(default);
            await app.Sessions.BeginAsync("sid-1", "local|alice", "Admin", DateTimeOffset.UtcNow, default);
            Assert.Equal("x", app.Protector.Unprotect(app.Protector.Protect("x")));
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(["drills.db", "findings.db", "journal.db", "runbooks.db", "signin.db"],
            Directory.GetFiles(_data, "*.db").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_data, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task AJournalFileAtTheFirstMigrationIsUpgradedAtStart()
    {
        var file = Path.Combine(_data, ActionJournal.FileName);
        var options = DashboardStore.UseSqlite(new DbContextOptionsBuilder<JournalDbContext>(), $"Data Source={file};Pooling=False", JournalDbContext.StoreName).Options;
        await using (var db = new JournalDbContext(options))
        {
            var first = db.GetService<IMigrationsAssembly>().Migrations.Keys.First();
            await db.GetService<IMigrator>().MigrateAsync(first);
            await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO journal_entries (At, User, UserId, Roles, Action, KeyId, Region, Outcome, Summary, Inputs, Plan, PreviousHash, Hash, Seal)
                VALUES ('2026-01-01 10:00:00', 'old', 'local|old', 'Admin', 'DisableKey', 'mrk-old', 'us-east-1', 'Succeeded', 'old', '{}', '{}', '', '', '')
                """;
            await insert.ExecuteNonQueryAsync();
        }
        await using var app = new StoreInstance(_data, postgres: null);

        await app.Journal.AppendAsync(new JournalEntry { At = DateTime.UtcNow, User = "new", Action = "DisableKey", Outcome = "Succeeded" }, default);

        Assert.Equal(["new", "old"], (await app.Journal.QueryAsync(new JournalQuery(), default)).Select(e => e.User));
        await using var check = new JournalDbContext(options);
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
        Assert.True((await app.Journal.VerifyAsync(default)).Holds);
    }

    [Theory]
    [InlineData("Sqlite", null, null)]
    [InlineData("postgres", "Host=db;Database=kms;Username=u", null)]
    [InlineData("Oracle", null, "must be Sqlite")]
    [InlineData("Postgres", null, "needs Storage:ConnectionString")]
    [InlineData("Postgres", "Host=db;Username=u", "names no Database")]
    [InlineData("Postgres", "Host=db;Database=kms;Bogus Keyword=1", "not a valid PostgreSQL connection string")]
    [InlineData("Sqlite", "Host=db;Database=kms", "Provider is Sqlite")]
    public void TheStorageSettingsAreCheckedWithAClearMessage(string provider, string? connection, string? problem)
    {
        var problems = StorageOptionsValidation.Problems(new StorageOptions { Provider = provider, ConnectionString = connection }).ToList();
        if (problem is null) Assert.Empty(problems);
        else Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
