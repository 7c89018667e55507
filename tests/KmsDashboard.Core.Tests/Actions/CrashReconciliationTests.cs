using System.Text.Json;
using System.Text.Json.Nodes;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>
/// Crash reconciliation reads the calls' requests the journal keeps (operation, key, Region, parameters as JSON) and
/// tells from the key's state whether a tag change or an on-demand rotation cut off by a crash took effect; entries
/// written before the requests were kept are still reconciled from their parameter text.
/// </summary>
public sealed class CrashReconciliationTests
{
    [Fact]
    public async Task TheJournalKeepsEachPlannedCallsRequestAsJson()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();

        var (_, result) = await h.RunAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1", PendingWindowInDays = 9 });

        var entry = await h.Journal.FindAsync(result!.JournalEntryId!.Value, default);
        var call = Assert.Single(JsonNode.Parse(entry!.Plan)!["Calls"]!.AsArray())!;
        Assert.Equal(("ScheduleKeyDeletion", "us-east-1", keyId), (call["Operation"]!.GetValue<string>(), call["Region"]!.GetValue<string>(), call["KeyId"]!.GetValue<string>()));
        Assert.Equal(JsonValueKind.Number, call["Request"]!["PendingWindowInDays"]!.GetValueKind());
        Assert.Equal(9, call["Request"]!["PendingWindowInDays"]!.GetValue<int>());
        Assert.Equal(keyId, call["Request"]!["KeyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATagChangeCutOffByACrashIsReconciledAsDoneFromTheKeysTags()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(tags: new() { ["Team"] = "payments" });
        var plan = await h.Operations.PlanAsync(Operator, new EditTagsRequest
        {
            KeyId = keyId, Region = "us-east-1", Tags = new Dictionary<string, string> { ["Team"] = "payments", ["CostCenter"] = "cc-42 eu=1" },
        }, default);
        Assert.Equal("TagResource", Assert.Single(plan.Calls).Operation);

        var entry = await CrashDuringAsync(h, Operator, plan, "us-east-1");

        var call = Assert.Single(entry.Calls);
        Assert.Equal(("Unknown", "Done"), (call.Status, call.Verification));
        Assert.Contains("has the planned tags", call.VerificationNote, StringComparison.Ordinal);
        Assert.Contains("call 1 (TagResource in us-east-1) done", entry.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOnDemandRotationCutOffByACrashIsReconciledAsDoneFromListKeyRotations()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["eu-west-1"]);
        var plan = await h.Operations.PlanAsync(Admin, new RotateNowRequest { KeyId = keyId, Region = "eu-west-1" }, default);
        Assert.Equal(("RotateKeyOnDemand", "us-east-1"), (Assert.Single(plan.Calls).Operation, plan.Calls[0].Region));

        var entry = await CrashDuringAsync(h, Admin, plan, "us-east-1");

        var call = Assert.Single(entry.Calls);
        Assert.Equal("Done", call.Verification);
        Assert.Contains("on-demand rotation at", call.VerificationNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARotationAndATagChangeThatNeverReachedAwsAreReconciledAsNotDone()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(tags: new() { ["Team"] = "payments" });
        // An earlier on-demand rotation, well before the action: it must not count as this action's.
        await h.Kms("us-east-1").RotateKeyOnDemandAsync(new Sdk.RotateKeyOnDemandRequest { KeyId = keyId });
        h.Clock.Advance(TimeSpan.FromHours(1));
        var plan = new JsonObject
        {
            ["Calls"] = new JsonArray(
                PlannedCall(1, "RotateKeyOnDemand", keyId, "KeyId=" + keyId, new JsonObject { ["KeyId"] = keyId }),
                PlannedCall(2, "TagResource", keyId, $"KeyId={keyId}, Tags=Team=platform",
                    new JsonObject { ["KeyId"] = keyId, ["Tags"] = new JsonArray(new JsonObject { ["TagKey"] = "Team", ["TagValue"] = "platform" }) })),
        };

        var entry = await ReconcileWrittenEntryAsync(h, keyId, plan.ToJsonString(), "RotateKeyOnDemand", "TagResource");

        Assert.Equal(["NotDone", "NotDone"], entry.Calls.Select(c => c.Verification));
        Assert.Contains("no on-demand rotation since the action started", entry.Calls[0].VerificationNote, StringComparison.Ordinal);
        Assert.Contains("Team=payments", entry.Calls[1].VerificationNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEntryWrittenBeforeRequestsWereKeptIsStillReconciledFromItsParameterText()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        await h.Kms("us-east-1").DisableKeyAsync(new Sdk.DisableKeyRequest { KeyId = keyId });
        // The plan as older versions wrote it: the parameter text only.
        var plan = $$"""{"Title":"Disable","Calls":[{"Step":1,"Region":"us-east-1","Operation":"DisableKey","Parameters":"KeyId={{keyId}}","Purpose":"Disable."},{"Step":2,"Region":"us-east-1","Operation":"TagResource","Parameters":"KeyId={{keyId}}, Tags=Team=a, Env=b","Purpose":"Tag."}]}""";

        var entry = await ReconcileWrittenEntryAsync(h, keyId, plan, "DisableKey", "TagResource");

        Assert.Equal(["Done", "Unknown"], entry.Calls.Select(c => c.Verification));
        Assert.Contains("is Disabled", entry.Calls[0].VerificationNote, StringComparison.Ordinal);
        Assert.Contains("before requests were kept", entry.Calls[1].VerificationNote, StringComparison.Ordinal);
    }

    private static JsonObject PlannedCall(int step, string operation, string keyId, string parameters, JsonObject request) => new()
    {
        ["Step"] = step, ["Region"] = "us-east-1", ["Operation"] = operation, ["KeyId"] = keyId,
        ["Parameters"] = parameters, ["Request"] = request, ["Purpose"] = "test",
    };

    /// <summary>
    /// Executes <paramref name="plan"/> with its Region slowed, copies the journal while the call is in flight (what a
    /// process killed then leaves), lets the call finish, and reconciles the copy in a second app.
    /// </summary>
    private static async Task<JournalEntry> CrashDuringAsync(ActionsHarness h, System.Security.Claims.ClaimsPrincipal user, ActionPlan plan, string region)
    {
        h.Faults.Set(region, new RegionFault(Latency: TimeSpan.FromSeconds(2)));
        var running = h.Operations.ExecuteAsync(user, plan, null, default);
        await JournalFiles.WaitForEntryAsync(h.Journal, plan.KeyId, e => e.Calls.Any(c => c.Status == ActionJournal.Sending));
        var copy = JournalFiles.CopyOf(h.DataDirectory);
        var done = await running;
        Assert.Equal(ActionOutcome.Succeeded, done.Outcome);
        h.Faults.Clear(region);
        var restarted = h.StartAnotherApp(copy);

        Assert.Equal(1, await restarted.GetRequiredService<JournalReconciler>().ReconcileAsync(default));
        var entry = Assert.Single(await restarted.GetRequiredService<ActionJournal>().QueryAsync(new JournalQuery { KeyId = plan.KeyId }, default));
        Assert.Equal("Interrupted", entry.Outcome);
        return entry;
    }

    /// <summary>Writes an in-progress entry with the given plan (its calls in flight), and reconciles it in a second app.</summary>
    private static async Task<JournalEntry> ReconcileWrittenEntryAsync(ActionsHarness h, string keyId, string plan, params string[] operations)
    {
        await h.Journal.AppendAsync(new JournalEntry
        {
            At = h.Clock.UtcNow.UtcDateTime, User = "otto", UserId = "local|otto", Roles = "Operator", Action = "Test", KeyId = keyId,
            Region = "us-east-1", Outcome = ActionJournal.InProgress, Summary = "", Inputs = "{}", Plan = plan,
            Calls = [.. operations.Select((o, i) => new JournalCall { Step = i + 1, Region = "us-east-1", Operation = o, Status = ActionJournal.Sending })],
        }, default);
        var restarted = h.StartAnotherApp(JournalFiles.CopyOf(h.DataDirectory));

        Assert.Equal(1, await restarted.GetRequiredService<JournalReconciler>().ReconcileAsync(default));
        return Assert.Single(await restarted.GetRequiredService<ActionJournal>().QueryAsync(new JournalQuery { KeyId = keyId }, default));
    }
}
