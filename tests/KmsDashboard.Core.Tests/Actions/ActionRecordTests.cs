using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>Issue 13, "actions leave a record, whatever happens": the journal is written before, during and after the calls.</summary>
public sealed class ActionRecordTests
{
    private static async Task<JournalEntry> WaitForEntryAsync(ActionJournal journal, string keyId, Func<JournalEntry, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<JournalEntry> seen = [];
        while (DateTime.UtcNow < deadline)
        {
            seen = await journal.QueryAsync(new JournalQuery { KeyId = keyId }, default);
            if (seen.FirstOrDefault(condition) is { } entry) return entry;
            await Task.Delay(50);
        }
        throw new TimeoutException("The journal never showed the expected entry; it shows: " +
            string.Join(" | ", seen.Select(e => $"{e.Outcome} {e.Summary} [{string.Join(", ", e.Calls.Select(c => $"{c.Step} {c.Status} {c.Message}"))}]")));
    }

    private static string JournalFile(string directory) => Path.Combine(directory, ActionJournal.FileName);

    /// <summary>The journal's files (SQLite in WAL mode: the database, its log and its index), as they are on disk now.</summary>
    private static void CopyJournal(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(JournalFile(from) + suffix)) File.Copy(JournalFile(from) + suffix, JournalFile(to) + suffix);
    }

    private static async Task ExecuteSqlAsync(string directory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={JournalFile(directory)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task TheEntryIsOpenedBeforeTheFirstCallAndRecordsEachCallAsItGoes()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"]);
        var plan = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1", AlsoScheduleReplicasIn = ["us-west-2", "eu-west-1"] }, default);
        h.Faults.Set("eu-west-1", new RegionFault(Latency: TimeSpan.FromSeconds(3)));

        var running = h.Operations.ExecuteAsync(Admin, plan, keyId, default);
        // While call 2 is held in eu-west-1, the entry already says who, what, and how far it got.
        var open = await WaitForEntryAsync(h.Journal, keyId, e => e.Calls.Any(c => c.Step == 2 && c.Status == ActionJournal.Sending));
        Assert.False(running.IsCompleted);
        Assert.Equal(ActionJournal.InProgress, open.Outcome);
        Assert.Equal("local|ada", open.UserId);
        Assert.Contains("Started: 3 calls planned", open.Summary, StringComparison.Ordinal);
        Assert.Equal(["Succeeded", "Sending", "Pending"], open.Calls.Select(c => c.Status));
        Assert.NotNull(open.Calls[0].RequestId);
        Assert.Single(h.Writes);

        var result = await running;
        Assert.Equal(ActionOutcome.Succeeded, result.Outcome);
        var closed = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default));
        Assert.Equal(open.Id, closed.Id);
        Assert.Equal("Succeeded", closed.Outcome);
        Assert.All(closed.Calls, c => Assert.False(string.IsNullOrEmpty(c.RequestId)));
        Assert.Equal(h.Writes.Select(w => w.RequestId).Order(), closed.Calls.Select(c => c.RequestId!).Order());
    }

    [Fact]
    public async Task WhenTheJournalCannotBeWrittenNothingIsSent()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        var plan = await h.Operations.PlanAsync(Admin, new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);
        await h.Journal.EnsureCreatedAsync(default);
        await ExecuteSqlAsync(h.DataDirectory, "ALTER TABLE journal_calls RENAME TO journal_calls_gone");

        var result = await h.Operations.ExecuteAsync(Admin, plan, keyId, default);

        Assert.Equal(ActionOutcome.Refused, result.Outcome);
        Assert.Contains("journal could not be written", result.Summary, StringComparison.Ordinal);
        Assert.Empty(h.Writes);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
    }

    [Fact]
    public async Task ACallThatTimesOutIsUnknownToVerifyNotFailed()
    {
        await using var h = await StartAsync(settings: new Dictionary<string, string?> { ["Backend:Calls:RequestTimeoutSeconds"] = "1" });
        var keyId = await h.CreateKeySetAsync();
        var plan = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1"] }, default);
        h.Faults.Set("us-east-1", new RegionFault(Latency: TimeSpan.FromSeconds(3)));

        var result = await h.Operations.ExecuteAsync(Operator, plan, null, default);
        h.Faults.Clear("us-east-1");

        Assert.Equal(ActionOutcome.Unknown, result.Outcome);
        var call = Assert.Single(result.Calls);
        Assert.Equal(CallStatus.Unknown, call.Status);
        Assert.StartsWith("Unknown — verify", call.Message, StringComparison.Ordinal);
        Assert.Contains("verify", result.Summary, StringComparison.Ordinal);
        var entry = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default));
        Assert.Equal("Unknown", entry.Outcome);
        Assert.Equal("Unknown", Assert.Single(entry.Calls).Status);
    }

    [Fact]
    public async Task CancellingStopsBeforeTheNextCallAndTheCallInFlightIsUnknown()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"]);
        var plan = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1", AlsoScheduleReplicasIn = ["us-west-2", "eu-west-1"] }, default);
        h.Faults.Set("eu-west-1", new RegionFault(Latency: TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource();

        var running = h.Operations.ExecuteAsync(Admin, plan, keyId, cancel.Token);
        await WaitForEntryAsync(h.Journal, keyId, e => e.Calls.Any(c => c.Step == 2 && c.Status == ActionJournal.Sending));
        await cancel.CancelAsync();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));
        h.Faults.Clear("eu-west-1");

        Assert.Equal([CallStatus.Succeeded, CallStatus.Unknown, CallStatus.Skipped], result.Calls.Select(c => c.Status));
        Assert.Contains("cancelled", result.Calls[2].Message, StringComparison.Ordinal);
        Assert.Equal(ActionOutcome.Unknown, result.Outcome);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        Assert.Equal("Unknown", Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default)).Outcome);
    }

    [Fact]
    public async Task AnActionCutOffMidWayIsReconciledAtTheNextStartCallByCall()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1", "eu-central-1"]);
        var plan = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest
        {
            KeyId = keyId, Region = "us-east-1", AlsoScheduleReplicasIn = ["us-west-2", "eu-west-1", "eu-central-1"],
        }, default);
        h.Faults.Set("eu-central-1", new RegionFault(Latency: TimeSpan.FromSeconds(60)));
        using var cancel = new CancellationTokenSource();
        var running = h.Operations.ExecuteAsync(Admin, plan, keyId, cancel.Token);
        await WaitForEntryAsync(h.Journal, keyId, e => e.Calls.Any(c => c.Step == 3 && c.Status == ActionJournal.Sending));

        // The journal file as a process killed now would leave it, opened by a new app.
        var copy = Path.Combine(Path.GetTempPath(), "kmsdashboard-crash-" + Guid.NewGuid().ToString("N"));
        CopyJournal(h.DataDirectory, copy);
        await cancel.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        h.Faults.Clear("eu-central-1");
        var restarted = h.StartAnotherApp(copy);

        var reconciled = await restarted.GetRequiredService<JournalReconciler>().ReconcileAsync(default);

        Assert.Equal(1, reconciled);
        var journal = restarted.GetRequiredService<ActionJournal>();
        var entry = Assert.Single(await journal.QueryAsync(new JournalQuery { KeyId = keyId }, default));
        Assert.Equal("Interrupted", entry.Outcome);
        Assert.StartsWith("Interrupted after call 2 of 4", entry.Summary, StringComparison.Ordinal);
        Assert.Equal(["Succeeded", "Succeeded", "Unknown", "Skipped"], entry.Calls.Select(c => c.Status));
        Assert.Equal([null, null, "NotDone", "NotDone"], entry.Calls.Select(c => c.Verification));
        Assert.Contains("eu-central-1 is Enabled", entry.Calls[2].VerificationNote, StringComparison.Ordinal);
        Assert.True((await journal.VerifyAsync(default)).Holds);
        // Nothing left to reconcile at the following start.
        Assert.Equal(0, await restarted.GetRequiredService<JournalReconciler>().ReconcileAsync(default));
    }

    [Fact]
    public async Task AReplicaThatWasCreatedBeforeTheCrashIsReconciledAsDone()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        var plan = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1"] }, default);
        h.Faults.Set("us-east-1", new RegionFault(Latency: TimeSpan.FromSeconds(2)));
        var running = h.Operations.ExecuteAsync(Operator, plan, null, default);
        await WaitForEntryAsync(h.Journal, keyId, e => e.Calls.Any(c => c.Status == ActionJournal.Sending));
        var copy = Path.Combine(Path.GetTempPath(), "kmsdashboard-crash-" + Guid.NewGuid().ToString("N"));
        CopyJournal(h.DataDirectory, copy);
        await running; // the call went through; the copy never heard of it
        h.Faults.Clear("us-east-1");

        var restarted = h.StartAnotherApp(copy);
        await restarted.GetRequiredService<JournalReconciler>().ReconcileAsync(default);

        var entry = Assert.Single(await restarted.GetRequiredService<ActionJournal>().QueryAsync(new JournalQuery { KeyId = keyId }, default));
        Assert.StartsWith("Interrupted after call 0 of 1", entry.Summary, StringComparison.Ordinal);
        Assert.Equal("Done", Assert.Single(entry.Calls).Verification);
    }

    [Fact]
    public async Task APlanIsBoundToTheStableIdentityNotTheDisplayName()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        static ClaimsPrincipal Oidc(string sub) => new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "Alex Smith"), new Claim("sub", sub, ClaimValueTypes.String, "https://idp.example"), new Claim(ClaimTypes.Role, DashboardRoles.Admin)],
            "oidc", ClaimTypes.Name, ClaimTypes.Role));
        var plan = await h.Operations.PlanAsync(Oidc("user-1"), new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);
        Assert.Equal("oidc|https://idp.example|user-1", plan.PlannedBy.Id);

        var other = await h.Operations.ExecuteAsync(Oidc("user-2"), plan, keyId, default);

        Assert.Equal(ActionOutcome.Refused, other.Outcome);
        Assert.Empty(h.Writes);
        var same = await h.Operations.ExecuteAsync(Oidc("user-1"), plan, keyId, default);
        Assert.Equal(ActionOutcome.Succeeded, same.Outcome);
        var entries = await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default);
        Assert.All(entries, e => Assert.Equal("Alex Smith", e.User));
        Assert.Equal(["oidc|https://idp.example|user-1", "oidc|https://idp.example|user-2"], entries.Select(e => e.UserId).Order());
        Assert.Single(await h.Journal.QueryAsync(new JournalQuery { User = "user-2" }, default));
    }

    [Fact]
    public async Task ExpiredPlansAreDroppedFromTheIssuedStoreAndAClosedDialogsPlanIsDiscarded()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        for (var i = 0; i < 5; i++) await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = $"d{i}" }, default);
        Assert.Equal(5, h.Operations.IssuedPlanCount);

        h.Clock.Advance(KeyOperations.PlanLifetime + TimeSpan.FromMinutes(1));
        var fresh = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "new" }, default);
        Assert.Equal(1, h.Operations.IssuedPlanCount);

        h.Operations.Discard(fresh);
        Assert.Equal(0, h.Operations.IssuedPlanCount);
        Assert.Equal(ActionOutcome.Refused, (await h.Operations.ExecuteAsync(Operator, fresh, null, default)).Outcome);
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task OfTwoPlansMadeFromTheSameStateOnlyTheFirstExecuted()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"]);
        var toWest = await h.Operations.PlanAsync(Admin, new ChangePrimaryRegionRequest { KeyId = keyId, Region = "us-east-1", NewPrimaryRegion = "us-west-2" }, default);
        var toEurope = await h.Operations.PlanAsync(Admin, new ChangePrimaryRegionRequest { KeyId = keyId, Region = "us-east-1", NewPrimaryRegion = "eu-west-1" }, default);

        var first = await h.Operations.ExecuteAsync(Admin, toWest, keyId, default);
        var second = await h.Operations.ExecuteAsync(Admin, toEurope, keyId, default);

        Assert.Equal(ActionOutcome.Succeeded, first.Outcome);
        Assert.Equal(ActionOutcome.Refused, second.Outcome);
        Assert.Contains("plan again", second.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Writes, w => w.RequestParameters?.ToString()?.Contains("eu-west-1", StringComparison.Ordinal) == true);
        Assert.Equal("PRIMARY", (await h.DescribeAsync("us-west-2", keyId)).MultiRegionConfiguration.MultiRegionKeyType.Value);
    }
}
