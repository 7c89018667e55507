using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Tests.Runbooks;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Approvals;

/// <summary>The two-person rule on the manual rotation's step 8 (disable the old key set), against the sandbox.</summary>
public sealed class RunbookStepApprovalTests
{
    private static readonly ClaimsPrincipal Ada = RunbookHarness.User("ada", DashboardRoles.Admin);
    private static readonly ClaimsPrincipal Bob = RunbookHarness.User("bob", DashboardRoles.Admin);

    [Fact]
    public async Task StepEightIsRequestedByOneAdminAndRunsOnlyWhenAnotherApprovesIt()
    {
        await using var h = await RunbookHarness.StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await RunbookRetirementTests.RunToWatchAsync(h, oldKeyId);
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.RunStepAsync(id, "watch");

        // The same store, served by an app with the rule on.
        await using var app = RunbookHarness.BuildServices(h.Server.Url, Path.GetDirectoryName(h.StorePath)!, RunbookHarness.Regions, new ClockTime(h.Clock),
            extraSettings: new Dictionary<string, string?> { ["Safety:RequireApproval"] = "true" },
            more: s => s.AddApprovals(Path.GetTempPath()));
        var runbooks = app.GetRequiredService<RunbookService>();
        var approvals = app.GetRequiredService<ApprovalService>();
        var options = new RunbookStepOptions { WaitingDays = 3 };

        var plan = await runbooks.PlanStepAsync(Ada, id, options, default);
        Assert.Equal(("disable", PlanStatus.Ready), (plan.StepName, plan.Status));
        var direct = await runbooks.ExecuteAsync(Ada, plan, oldKeyId, default);
        Assert.True(direct.Refused);
        Assert.Contains("approval", direct.Summary);

        var requested = await approvals.RequestStepAsync(Ada, plan, oldKeyId, default);
        Assert.True(requested.Done, requested.Message);
        Assert.NotNull(await approvals.PendingForStepAsync(id, plan.StepIndex, default));
        var self = await approvals.ApproveAsync(Ada, requested.Request!.Id, oldKeyId, default);
        Assert.False(self.Done);
        Assert.Equal(0, h.Count("DisableKey"));

        var approved = await approvals.ApproveAsync(Bob, requested.Request.Id, oldKeyId, default);
        Assert.True(approved.Done, approved.Message);
        Assert.Equal(RunbookStepState.Done, approved.StepResult!.State);
        Assert.Equal("Disabled", (await h.DescribeAsync("us-east-1", oldKeyId)).KeyState.Value);
        Assert.True(h.Count("DisableKey") >= 1);
        var journal = await app.GetRequiredService<ActionJournal>().QueryAsync(new JournalQuery { Action = "Runbook.ManualRotation.disable" }, default);
        Assert.Contains(journal, e => e.Outcome == "Succeeded" && e.User == "bob"
            && e.Summary.Contains("Requested by ada (local|ada), approved by bob (local|bob)", StringComparison.Ordinal));
        Assert.Equal("disable", (await runbooks.GetAsync(id, default))!.Runbook.Steps.Single(s => s.Index == plan.StepIndex).Name);
        Assert.Equal(RunbookStepState.Done, (await runbooks.GetAsync(id, default))!.Runbook.Steps.Single(s => s.Index == plan.StepIndex).State);
    }

    private sealed class ClockTime(SandboxClock clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.UtcNow;
    }
}
