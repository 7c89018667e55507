using System.Security.Claims;
using System.Text.Json;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Tests.Actions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Approvals;

/// <summary>
/// The two-person rule (Safety:RequireApproval) against the sandbox: a destructive action is requested by one Admin and runs
/// only when a different Admin approves it; requests expire, are refused when the keys changed, and survive a restart.
/// </summary>
public sealed class TwoPersonRuleTests
{
    private static readonly ClaimsPrincipal Ada = ActionsHarness.User("ada", DashboardRoles.Admin);
    private static readonly ClaimsPrincipal Bob = ActionsHarness.User("bob", DashboardRoles.Admin);

    private static Task<ActionsHarness> StartAsync() => ActionsHarness.StartAsync(
        settings: new Dictionary<string, string?> { ["Safety:RequireApproval"] = "true", ["Safety:ApprovalTtlMinutes"] = "60" },
        more: s => s.AddApprovals(Path.GetTempPath()));

    private static ApprovalService Approvals(IServiceProvider services) => services.GetRequiredService<ApprovalService>();

    private static async Task<ApprovalRequest> RequestDisableAsync(ActionsHarness h, string keyId, ClaimsPrincipal by)
    {
        var plan = await h.Operations.PlanAsync(by, new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);
        Assert.True(plan.CanExecute, string.Join(" ", plan.Problems));
        var requested = await Approvals(h.Services).RequestAsync(by, plan, keyId, default);
        Assert.True(requested.Done, requested.Message);
        return requested.Request!;
    }

    [Fact]
    public async Task TheRequesterCannotApproveAndASecondAdminsApprovalRunsItWithBothNamesInTheJournal()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();

        // Straight from the dialog: refused, nothing sent.
        var direct = await h.Operations.PlanAsync(Ada, new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);
        var refused = await h.Operations.ExecuteAsync(Ada, direct, keyId, default);
        Assert.Equal(ActionOutcome.Refused, refused.Outcome);
        Assert.Contains("approval", refused.Summary);

        var request = await RequestDisableAsync(h, keyId, Ada);
        Assert.Equal(ApprovalStatus.Pending, request.Status);
        Assert.Equal("local|ada", request.RequestedById);
        Assert.Contains(request.Preview.Calls, c => c.Operation == "DisableKey" && c.Region == "us-east-1");
        Assert.Equal(1, Approvals(h.Services).PendingCount);

        var self = await Approvals(h.Services).ApproveAsync(Ada, request.Id, keyId, default);
        Assert.False(self.Done);
        Assert.Contains("may not approve", self.Message);
        Assert.Empty(h.Writes);
        Assert.Equal(ApprovalStatus.Pending, (await Approvals(h.Services).FindAsync(request.Id, default))!.Status);

        h.Sent.Clear();
        var wrongKey = await Approvals(h.Services).ApproveAsync(Bob, request.Id, "alias/not-this-one", default);
        Assert.False(wrongKey.Done);
        Assert.Empty(h.Sent);

        var approved = await Approvals(h.Services).ApproveAsync(Bob, request.Id, keyId, default);
        Assert.True(approved.Done, approved.Message);
        Assert.Equal(ActionOutcome.Succeeded, approved.ActionResult!.Outcome);
        Assert.Equal(ApprovalStatus.Executed, approved.Request!.Status);
        Assert.Equal("local|bob", approved.Request.DecidedById);
        Assert.Equal("Disabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        Assert.Single(h.Writes);
        Assert.Equal(0, Approvals(h.Services).PendingCount);

        var run = (await h.Journal.FindAsync(approved.ActionResult.JournalEntryId!.Value, default))!;
        Assert.Equal("DisableKey", run.Action);
        Assert.Equal("local|bob", run.UserId);
        Assert.Contains("Requested by ada (local|ada), approved by bob (local|bob)", run.Summary);
        using (var plan = JsonDocument.Parse(run.Plan))
        {
            var stamp = plan.RootElement.GetProperty("Approval");
            Assert.Equal("local|ada", stamp.GetProperty("RequestedById").GetString());
            Assert.Equal("local|bob", stamp.GetProperty("ApprovedById").GetString());
        }
        var events = await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default);
        Assert.Contains(events, e => e.Action == ApprovalService.JournalActions.Request && e.UserId == "local|ada" && e.Outcome == "Succeeded");
        Assert.Contains(events, e => e.Action == ApprovalService.JournalActions.Approve && e.UserId == "local|ada" && e.Outcome == "Refused");
        Assert.Contains(events, e => e.Action == ApprovalService.JournalActions.Approve && e.UserId == "local|bob" && e.Outcome == "Succeeded");

        // Approved once: a second approval cannot run it again.
        var again = await Approvals(h.Services).ApproveAsync(Bob, request.Id, keyId, default);
        Assert.False(again.Done);
        Assert.Single(h.Writes);
    }

    [Fact]
    public async Task AnExpiredRequestCannotRunAndItsExpiryIsJournaled()
    {
        await using var h = await StartAsync();
        var first = await h.CreateSingleRegionKeyAsync();
        var second = await h.CreateSingleRegionKeyAsync();
        var late = await RequestDisableAsync(h, first, Ada);
        var swept = await RequestDisableAsync(h, second, Ada);

        h.Clock.Advance(TimeSpan.FromMinutes(61));

        var approved = await Approvals(h.Services).ApproveAsync(Bob, late.Id, first, default);
        Assert.False(approved.Done);
        Assert.Contains("expired", approved.Message);
        Assert.Equal(ApprovalStatus.Expired, approved.Request!.Status);
        Assert.Equal(1, await Approvals(h.Services).ExpireDueAsync(default));
        Assert.Equal(ApprovalStatus.Expired, (await Approvals(h.Services).FindAsync(swept.Id, default))!.Status);
        Assert.Empty(h.Writes);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", first)).KeyState.Value);
        var expiries = await h.Journal.QueryAsync(new JournalQuery { Action = ApprovalService.JournalActions.Expire }, default);
        Assert.Equal(2, expiries.Count);
        Assert.Equal(0, Approvals(h.Services).PendingCount);
    }

    [Fact]
    public async Task ARequestWhoseKeysChangedIsRefusedAtApprovalAndClosed()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["eu-west-1"]);
        var plan = await h.Operations.PlanAsync(Ada, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1", PendingWindowInDays = 7, AlsoScheduleReplicasIn = ["eu-west-1"] }, default);
        Assert.True(plan.CanExecute, string.Join(" ", plan.Problems));
        var request = (await Approvals(h.Services).RequestAsync(Ada, plan, keyId, default)).Request!;

        // Meanwhile someone schedules the replica's deletion outside the dashboard: the plan would now send one call less.
        await h.Kms("eu-west-1").ScheduleKeyDeletionAsync(new Sdk.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = 30 });
        h.Sent.Clear();

        var approved = await Approvals(h.Services).ApproveAsync(Bob, request.Id, keyId, default);
        Assert.False(approved.Done);
        Assert.Contains("changed since the request", approved.Message);
        Assert.Contains("no longer sends ScheduleKeyDeletion in eu-west-1", approved.Message);
        Assert.Equal(ApprovalStatus.Invalidated, approved.Request!.Status);
        Assert.Empty(h.Writes);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        Assert.Contains(await h.Journal.QueryAsync(new JournalQuery { Action = ApprovalService.JournalActions.Approve, Outcome = "Refused" }, default),
            e => e.UserId == "local|bob" && e.Summary.Contains("changed since the request"));
    }

    [Fact]
    public async Task APendingRequestSurvivesARestartAndIsApprovedInTheNewProcess()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var request = await RequestDisableAsync(h, keyId, Ada);

        var restarted = h.StartAnotherApp(h.DataDirectory);
        var pending = await Approvals(restarted).PendingAsync(default);
        var found = Assert.Single(pending);
        Assert.Equal(request.Id, found.Id);
        Assert.Equal("ada", found.RequestedByName);

        var approved = await Approvals(restarted).ApproveAsync(Bob, request.Id, keyId, default);
        Assert.True(approved.Done, approved.Message);
        Assert.Equal("Disabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
    }

    [Fact]
    public async Task ARejectedOrWithdrawnRequestCannotRunAndOnlyTheRequesterWithdraws()
    {
        await using var h = await StartAsync();
        var first = await h.CreateSingleRegionKeyAsync();
        var second = await h.CreateSingleRegionKeyAsync();
        var rejected = await RequestDisableAsync(h, first, Ada);
        var withdrawn = await RequestDisableAsync(h, second, Ada);

        Assert.True((await Approvals(h.Services).RejectAsync(Bob, rejected.Id, "Not during the release freeze", default)).Done);
        Assert.False((await Approvals(h.Services).WithdrawAsync(Bob, withdrawn.Id, default)).Done);
        Assert.True((await Approvals(h.Services).WithdrawAsync(Ada, withdrawn.Id, default)).Done);

        var late = await Approvals(h.Services).ApproveAsync(Bob, rejected.Id, first, default);
        Assert.False(late.Done);
        Assert.Contains("rejected", late.Message);
        Assert.False((await Approvals(h.Services).ApproveAsync(Bob, withdrawn.Id, second, default)).Done);
        Assert.Empty(h.Writes);
        Assert.Single(await h.Journal.QueryAsync(new JournalQuery { Action = ApprovalService.JournalActions.Reject }, default));
        Assert.Single(await h.Journal.QueryAsync(new JournalQuery { Action = ApprovalService.JournalActions.Withdraw, Outcome = "Succeeded" }, default));
    }

    [Fact]
    public async Task AnOperatorCannotApproveAndTheRuleOffLetsAnAdminRunDirectly()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var request = await RequestDisableAsync(h, keyId, Ada);
        var byOperator = await Approvals(h.Services).ApproveAsync(ActionsHarness.Operator, request.Id, keyId, default);
        Assert.False(byOperator.Done);
        Assert.Contains("Admin", byOperator.Message);
        Assert.Empty(h.Writes);

        await using var off = await ActionsHarness.StartAsync(more: s => s.AddApprovals(Path.GetTempPath()));
        var other = await off.CreateSingleRegionKeyAsync();
        Assert.False(Approvals(off.Services).IsRequired(KeyAction.DisableKey));
        var (_, result) = await off.RunAsync(Ada, new DisableKeyRequest { KeyId = other, Region = "us-east-1" });
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100000")]
    public void AnApprovalLifetimeOutOfRangeIsRefusedWithAMessage(string minutes)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Safety:ApprovalTtlMinutes"] = minutes }).Build();
        var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(configuration).AddLogging();
        services.AddKeyActions(Path.GetTempPath());
        using var provider = services.BuildServiceProvider();

        var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SafetyOptions>>().Value);
        Assert.Contains("Safety:ApprovalTtlMinutes must be between 5 and 10080", refused.Message);
    }
}
