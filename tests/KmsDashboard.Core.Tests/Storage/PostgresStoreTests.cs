using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Runbooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace KmsDashboard.Core.Tests.Storage;

/// <summary>Issue 15: every store on PostgreSQL (Storage:Provider=Postgres), its migrations, and two instances on one database.</summary>
public sealed class PostgresStoreTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("kmsdashboard-pgstore-").FullName;

    private static JournalEntry Entry(string user, string outcome = "Succeeded") => new()
    {
        At = DateTime.UtcNow, User = user, UserId = "local|" + user, Roles = "Admin", Action = "DisableKey", KeyId = "mrk-1", Region = "us-east-1",
        Outcome = outcome, Summary = "done", Calls = [new JournalCall { Step = 1, Region = "us-east-1", Operation = "DisableKey", Status = "Succeeded", Message = "ok", RequestId = "r-1" }],
    };

    [SkippableFact]
    public async Task EveryStoreMigratesAnEmptyDatabaseAndRoundTrips()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var app = new StoreInstance(_data, database.ConnectionString);
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

        // Journal: entries with calls, case-insensitive literal filters, the chain.
        var id = await app.Journal.AppendAsync(Entry("Alice_A"), default);
        await app.Journal.AppendAsync(Entry("bob"), default);
        await app.Journal.CompleteAsync(id, "Failed", "it failed", [new JournalCall { Step = 2, Region = "eu-west-1", Operation = "EnableKey", Status = "Failed", Message = "no" }], default);
        var found = await app.Journal.FindAsync(id, default);
        Assert.Equal(["DisableKey", "EnableKey"], found!.Calls.Select(c => c.Operation));
        Assert.Equal(DateTimeKind.Utc, found.At.Kind);
        Assert.Equal(["Alice_A"], (await app.Journal.QueryAsync(new JournalQuery { User = "alice_a" }, default)).Select(e => e.User));
        Assert.Empty(await app.Journal.QueryAsync(new JournalQuery { User = "alice%" }, default));
        Assert.Equal(["Alice_A"], (await app.Journal.QueryAsync(new JournalQuery { Region = "eu-west-1" }, default)).Select(e => e.User));
        var chain = await app.Journal.VerifyAsync(default);
        Assert.True(chain.Holds, chain.Summary);
        Assert.Equal(2, chain.Checked);

        // Runbooks: a run with steps, its lease, its calls.
        var runbookId = Guid.NewGuid();
        await app.Runbooks.AddAsync(new RunbookRecord
        {
            Id = runbookId, Kind = "Retire", Title = "Retire orders", KeyId = "mrk-1", StartedById = "local|alice", StartedByName = "alice",
            CreatedAt = now.UtcDateTime, UpdatedAt = now.UtcDateTime, CurrentStep = 1, Status = RunbookStatus.Open,
            Steps = [new RunbookStepRecord { RunbookId = runbookId, Index = 1, Name = "disable", Title = "Disable", State = RunbookStepState.Pending }],
        }, default);
        var (acquired, leased) = await app.Runbooks.TryLeaseAsync(runbookId, new RunbookUser("local|alice", "alice"), now, TimeSpan.FromMinutes(5), force: false, default);
        Assert.True(acquired);
        Assert.Equal("alice", leased!.LeaseHolderName);
        Assert.False((await app.Runbooks.TryLeaseAsync(runbookId, new RunbookUser("local|bob", "bob"), now.AddMinutes(1), TimeSpan.FromMinutes(5), force: false, default)).Acquired);
        await app.Runbooks.AddCallAsync(new RunbookCallRecord { RunbookId = runbookId, StepIndex = 1, Region = "us-east-1", Operation = "DisableKey", State = "Sent", SentAt = now.UtcDateTime }, default);
        await app.Runbooks.UpdateRunbookAsync(runbookId, RunbookStatus.Finished, 0, now.AddMinutes(2), default);
        var listed = Assert.Single(await app.Runbooks.ListAsync(default));
        Assert.Equal(RunbookStatus.Finished, listed.Status);
        Assert.Equal("disable", Assert.Single(listed.Steps).Name);
        Assert.Equal("DisableKey", Assert.Single(await app.Runbooks.CallsAsync(runbookId, default)).Operation);

        // Findings: suppressions made and lifted, findings and evaluations as the engine stores them.
        var suppression = await app.Findings.AddSuppressionAsync(new SuppressionRecord
        {
            FindingId = "f-1", CheckId = "rotation", KeyId = "mrk-1", Reason = "accepted", CreatedBy = "alice", CreatedAt = now.UtcDateTime, ExpiresAt = now.AddDays(7).UtcDateTime,
        }, default);
        Assert.NotNull(await app.Findings.LiftSuppressionAsync(suppression.Id, "bob", now.AddHours(1), default));
        Assert.Equal("bob", Assert.Single(await app.Findings.SuppressionsAsync(default)).LiftedBy);
        await using (var db = await app.Contexts<FindingsDbContext>().CreateDbContextAsync())
        {
            db.Findings.Add(new FindingRecord { Id = "f-1", CheckId = "rotation", Severity = "High", KeyId = "mrk-1", FirstSeen = now.UtcDateTime, LastSeen = now.UtcDateTime, MonthlySaving = 1.5m });
            db.Evaluations.Add(new EvaluationRecord { At = now.UtcDateTime, High = 1, EstateScore = 90 });
            await db.SaveChangesAsync();
        }
        Assert.Equal(1.5m, Assert.Single(await app.Findings.ListAsync(now, TimeSpan.FromDays(1), default)).MonthlySaving);
        Assert.Equal(90, Assert.Single(await app.Findings.EvaluationsAsync(now.AddHours(-1), default)).EstateScore);

        // Drills: saved results, the latest per key set.
        foreach (var minutes in new[] { 0, 10 })
            await app.Drills.SaveAsync(new FailoverDrillResult
            {
                Id = Guid.NewGuid(), KeyId = "mrk-1", Name = "orders", PrimaryRegion = "us-east-1", PrimaryDown = false, User = "alice",
                StartedAt = now.AddMinutes(minutes), CompletedAt = now.AddMinutes(minutes + 1),
                Regions = [new DrillRegion("us-east-1", true, "alias/orders", true, false, true, "")], Cells = [],
            }, default);
        Assert.Equal(now.AddMinutes(11), Assert.Single(await app.Drills.LatestPerKeySetAsync(default)).CompletedAt);
        Assert.Equal(2, (await app.Drills.RecentAsync("mrk-1", 10, default)).Count);
        Assert.Equal(now.AddMinutes(11), (await app.Drills.LastDrillsAsync(default))["mrk-1"]);

        // Approvals: a request, decided once (compare-and-set from Pending only).
        var request = Guid.NewGuid();
        await app.Approvals.AddAsync(new ApprovalRecord
        {
            Id = request, Kind = ApprovalKind.KeyAction, Action = "DisableKey", Title = "Disable orders", KeyId = "mrk-1", Region = "us-east-1",
            RequestedById = "local|alice", RequestedByName = "alice", RequestedAt = now.UtcDateTime, ExpiresAt = now.AddHours(1).UtcDateTime, Status = ApprovalStatus.Pending,
        }, default);
        Assert.Equal(1, await app.Approvals.CountPendingAsync(default));
        Assert.True(await app.Approvals.DecideAsync(request, ApprovalStatus.Rejected, "local|bob", "bob", now.AddMinutes(5).UtcDateTime, "no", default));
        Assert.False(await app.Approvals.DecideAsync(request, ApprovalStatus.Approved, "local|carol", "carol", now.AddMinutes(6).UtcDateTime, null, default));
        Assert.Equal("bob", (await app.Approvals.FindAsync(request, default))!.DecidedByName);

        // Sign-in sessions.
        await app.Sessions.BeginAsync("sid-1", "local|alice", "Admin", now, default);
        await app.Sessions.ExtendAsync("sid-1", now.AddHours(8), default);
        var (session, latest) = await app.Sessions.FindAsync("sid-1", default);
        Assert.Equal(now.AddHours(8).UtcDateTime, session!.Expires);
        Assert.Equal("sid-1", latest!.Id);

        // One history table per store, each at its latest migration.
        foreach (var store in new[] { "journal", "runbooks", "findings", "drills", "signin" })
            Assert.True(await database.ScalarAsync<long>($"SELECT count(*) FROM \"__migrations_{store}\"") >= 1, store);
    }

    [SkippableFact]
    public async Task TheJournalMigratesFromItsFirstMigrationKeepingItsEntries()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var app = new StoreInstance(_data, database.ConnectionString);
        var contexts = app.Contexts<JournalDbContext>();
        string first;
        await using (var db = await contexts.CreateDbContextAsync())
        {
            var migrations = db.GetService<IMigrationsAssembly>().Migrations.Keys.ToList();
            Assert.True(migrations.Count >= 2, "the journal has more than one migration");
            Assert.All(migrations, m => Assert.Contains(m, db.Database.GetMigrations()));
            first = migrations[0];
            await db.GetService<IMigrator>().MigrateAsync(first);
        }
        // An entry as the first schema held it (the chain's columns, no owner).
        await database.ExecuteAsync("""
            INSERT INTO journal_entries ("At", "User", "UserId", "Roles", "Action", "KeyId", "Region", "Outcome", "Summary", "Inputs", "Plan", "PreviousHash", "Hash", "Seal")
            VALUES ('2026-01-01 10:00:00+00', 'old', 'local|old', 'Admin', 'DisableKey', 'mrk-old', 'us-east-1', 'Succeeded', 'old entry', '{}', '{}', '', '', '')
            """);
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM \"__migrations_journal\""));

        await app.Journal.AppendAsync(Entry("new"), default);

        Assert.Equal(["new", "old"], (await app.Journal.QueryAsync(new JournalQuery(), default)).Select(e => e.User));
        await using (var db = await contexts.CreateDbContextAsync())
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var chain = await app.Journal.VerifyAsync(default);
        Assert.True(chain.Holds, chain.Summary);
        Assert.Equal(1, chain.Unchained);
    }

    [SkippableFact]
    public async Task TwoInstancesAppendingAtOnceKeepOneUnbrokenChain()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var a = new StoreInstance(_data, database.ConnectionString);
        await using var b = new StoreInstance(_data, database.ConnectionString);
        await a.Journal.EnsureCreatedAsync(default);
        await b.Journal.EnsureCreatedAsync(default);

        const int each = 40;
        await Task.WhenAll(Enumerable.Range(0, each).SelectMany(i => new[]
        {
            Task.Run(() => a.Journal.AppendAsync(Entry($"a{i}"), default)),
            Task.Run(() => b.Journal.AppendAsync(Entry($"b{i}"), default)),
        }));

        foreach (var instance in new[] { a, b })
        {
            var chain = await instance.Journal.VerifyAsync(default);
            Assert.True(chain.Holds, chain.Summary);
            Assert.Equal(2 * each, chain.Checked);
        }
        Assert.Equal(each, (await b.Journal.QueryAsync(new JournalQuery { User = "a" }, default)).Count(e => e.User.StartsWith('a')));
        Assert.Equal(2 * each, await database.ScalarAsync<long>("SELECT count(DISTINCT \"PreviousHash\") FROM journal_entries"));
    }

    [SkippableFact]
    public async Task TwoInstancesShareTheDataProtectionKeysAndTheSignOut()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var a = new StoreInstance(Path.Combine(_data, "a"), database.ConnectionString);
        var cookie = a.Protector.Protect("alice's sign-in");
        await using var b = new StoreInstance(Path.Combine(_data, "b"), database.ConnectionString);

        Assert.Equal("alice's sign-in", b.Protector.Unprotect(cookie));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys"));
        Assert.False(Directory.Exists(Path.Combine(_data, "a", "keys")));

        var now = DateTimeOffset.UtcNow;
        await a.Sessions.BeginAsync("sid-a", "local|alice", "Admin", now, default);
        Assert.Null((await b.Sessions.FindAsync("sid-a", default)).Session!.RevokedAt);
        await b.Sessions.RevokeAsync("sid-a", now.AddMinutes(1), default);
        Assert.NotNull((await a.Sessions.FindAsync("sid-a", default)).Session!.RevokedAt);
    }

    [SkippableFact]
    public async Task AnotherInstancesOpenEntryIsInterruptedOnlyOnceThatInstanceIsGone()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var a = new StoreInstance(_data, database.ConnectionString);
        await using var b = new StoreInstance(_data, database.ConnectionString);
        var id = await a.Journal.AppendAsync(Entry("alice", outcome: ActionJournal.InProgress), default);

        Assert.Empty(await a.Journal.InterruptedAsync(default));
        Assert.Empty(await b.Journal.InterruptedAsync(default));   // A is at work on it

        await a.DisposeAsync();   // A stops (its lock goes with its connection)

        Assert.Equal([id], (await b.Journal.InterruptedAsync(default)).Select(e => e.Id));
    }

    [SkippableFact]
    public async Task AMissingDatabaseIsCreatedByTheFirstStart()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var missing = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = database.Name + "_new" }.ConnectionString;
        try
        {
            await using var app = new StoreInstance(_data, missing);
            await app.Journal.AppendAsync(Entry("first"), default);
            Assert.Single(await app.Journal.QueryAsync(new JournalQuery(), default));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await database.ExecuteAsync($"DROP DATABASE IF EXISTS \"{database.Name}_new\" WITH (FORCE)");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
