using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsDashboard.Core.Tests.Journal;

/// <summary>Issue 13: the journal is a hash chain, its export is paged with a footer, its filters are literal, old files open.</summary>
public sealed class JournalChainAndExportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kmsdashboard-journal-").FullName;
    private string File => Path.Combine(_directory, ActionJournal.FileName);

    private ActionJournal NewJournal() => new(new Contexts($"Data Source={File};Pooling=False"), NullLogger<ActionJournal>.Instance);

    private static JournalEntry Entry(string user, string keyId = "mrk-1", string outcome = "Succeeded") => new()
    {
        At = DateTime.UtcNow, User = user, UserId = "local|" + user, Action = "DisableKey", KeyId = keyId, Region = "us-east-1",
        Outcome = outcome, Summary = "done", Calls = [new JournalCall { Step = 1, Region = "us-east-1", Operation = "DisableKey", Status = "Succeeded", Message = "ok", RequestId = "r-1" }],
    };

    private async Task SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task TheChainHoldsThenShowsAnEditedOrRemovedEntry()
    {
        var journal = NewJournal();
        for (var i = 0; i < 5; i++) await journal.AppendAsync(Entry($"user{i}"), default);
        var holds = await journal.VerifyAsync(default);
        Assert.True(holds.Holds);
        Assert.Equal(5, holds.Checked);

        await SqlAsync("UPDATE journal_calls SET Status = 'Failed' WHERE JournalEntryId = 2");
        var edited = await journal.VerifyAsync(default);
        Assert.False(edited.Holds);
        Assert.Equal(2, edited.BrokenAtEntry);
        Assert.Contains("seal", edited.Reason, StringComparison.Ordinal);

        await SqlAsync("UPDATE journal_calls SET Status = 'Succeeded' WHERE JournalEntryId = 2; DELETE FROM journal_entries WHERE Id = 3");
        var removed = await journal.VerifyAsync(default);
        Assert.False(removed.Holds);
        Assert.Equal(4, removed.BrokenAtEntry);

        await SqlAsync("UPDATE journal_entries SET User = 'mallory' WHERE Id = 1");
        Assert.Equal(1, (await journal.VerifyAsync(default)).BrokenAtEntry);
    }

    [Fact]
    public async Task TheExportIsWrittenPageByPageAndItsFooterSaysWhenItWasCutAndWhetherTheChainHolds()
    {
        var journal = NewJournal();
        for (var i = 0; i < ActionJournal.ExportPageSize + 20; i++) await journal.AppendAsync(Entry("user", outcome: i % 2 == 0 ? "Succeeded" : "Failed"), default);

        var all = new StringWriter();
        await journal.WriteCsvAsync(new JournalQuery(), all, default);
        var lines = all.ToString().TrimEnd().Split("\r\n");
        Assert.Equal(ActionJournal.ExportPageSize + 20 + 2, lines.Length); // header, rows, footer
        Assert.StartsWith("# Complete: 520 matching entries. Chain holds over 520 entries", lines[^1], StringComparison.Ordinal);

        var cut = new StringWriter();
        await journal.WriteCsvAsync(new JournalQuery { Outcome = "Failed" }, cut, default, limit: 100);
        var cutLines = cut.ToString().TrimEnd().Split("\r\n");
        Assert.Equal(102, cutLines.Length);
        Assert.StartsWith("# CUT: 100 of 260 matching entries written (limit 100)", cutLines[^1], StringComparison.Ordinal);

        await SqlAsync("UPDATE journal_entries SET Summary = 'nothing happened' WHERE Id = 7");
        var broken = new StringWriter();
        await journal.WriteCsvAsync(new JournalQuery(), broken, default);
        Assert.Contains("Chain BROKEN at entry #7", broken.ToString().TrimEnd().Split("\r\n")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiltersTreatUnderscoreAndPercentLiterally()
    {
        var journal = NewJournal();
        await journal.AppendAsync(Entry("a_b"), default);
        await journal.AppendAsync(Entry("axb"), default);
        await journal.AppendAsync(Entry("100%"), default);
        await journal.AppendAsync(Entry("1000"), default);

        Assert.Equal(["a_b"], (await journal.QueryAsync(new JournalQuery { User = "a_b" }, default)).Select(e => e.User));
        Assert.Equal(["100%"], (await journal.QueryAsync(new JournalQuery { User = "0%" }, default)).Select(e => e.User));
        var csv = new StringWriter();
        await journal.WriteCsvAsync(new JournalQuery { User = "_" }, csv, default);
        Assert.StartsWith("# Complete: 1 matching entries", csv.ToString().TrimEnd().Split("\r\n")[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJournalFileFromBeforeTheChainStillOpensAndTheChainStartsAfterItsEntries()
    {
        // The schema as the first version created it.
        await SqlAsync("""
            CREATE TABLE "journal_entries" ("Id" INTEGER NOT NULL CONSTRAINT "PK_journal_entries" PRIMARY KEY AUTOINCREMENT, "At" TEXT NOT NULL,
              "User" TEXT NOT NULL, "Roles" TEXT NOT NULL, "Action" TEXT NOT NULL, "KeyId" TEXT NOT NULL, "Region" TEXT NOT NULL,
              "Outcome" TEXT NOT NULL, "Summary" TEXT NOT NULL, "Inputs" TEXT NOT NULL, "Plan" TEXT NOT NULL);
            CREATE TABLE "journal_calls" ("Id" INTEGER NOT NULL CONSTRAINT "PK_journal_calls" PRIMARY KEY AUTOINCREMENT, "JournalEntryId" INTEGER NOT NULL,
              "Step" INTEGER NOT NULL, "Region" TEXT NOT NULL, "Operation" TEXT NOT NULL, "Status" TEXT NOT NULL, "Message" TEXT NOT NULL, "RequestId" TEXT NULL,
              CONSTRAINT "FK_journal_calls_journal_entries_JournalEntryId" FOREIGN KEY ("JournalEntryId") REFERENCES "journal_entries" ("Id") ON DELETE CASCADE);
            INSERT INTO journal_entries (At, User, Roles, Action, KeyId, Region, Outcome, Summary, Inputs, Plan)
              VALUES ('2026-01-01 10:00:00', 'old', 'Admin', 'DisableKey', 'mrk-old', 'us-east-1', 'Succeeded', 'old entry', '{}', '{}');
            """);
        var journal = NewJournal();

        await journal.AppendAsync(Entry("new"), default);

        var entries = await journal.QueryAsync(new JournalQuery(), default);
        Assert.Equal(["new", "old"], entries.Select(e => e.User));
        var report = await journal.VerifyAsync(default);
        Assert.True(report.Holds);
        Assert.Equal(1, report.Unchained);
        Assert.Contains("1 older entries predate the chain", report.Summary, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private sealed class Contexts(string connection) : IDbContextFactory<JournalDbContext>
    {
        public JournalDbContext CreateDbContext() =>
            new(DashboardStore.UseSqlite(new DbContextOptionsBuilder<JournalDbContext>(), connection, JournalDbContext.StoreName).Options);
    }
}
