using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Runbooks;
using static KmsDashboard.Core.Tests.Runbooks.RunbookHarness;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>Steps 7–9 (watch, disable, schedule deletion), re-enable and cancel deletion, and "Retire a key set".</summary>
public sealed class RunbookRetirementTests
{
    [Fact]
    public async Task TheDrainCheckBlocksStepEightWhileTheOldKeyIsStillUsedUnlessAnAdminOverridesWithAReason()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await RunToWatchAsync(h, oldKeyId);
        // An application that named the key id keeps using the old key after the alias moved.
        for (var i = 0; i < 5; i++)
            await h.Kms("eu-west-1").EncryptAsync(new Sdk.EncryptRequest { KeyId = oldKeyId, Plaintext = new MemoryStream([1, 2, 3]) });

        var blocked = await h.Runbooks.PlanStepAsync(Operator, id, null, default);
        var operatorOverride = await h.Runbooks.PlanStepAsync(Operator, id, new RunbookStepOptions { OverrideReason = "we accept the risk of breaking it" }, default);
        await h.Runbooks.ReleaseAsync(Operator, id, default);
        var shortReason = await h.Runbooks.PlanStepAsync(Admin, id, new RunbookStepOptions { OverrideReason = "ok" }, default);
        var (overridden, result) = await h.RunNextAsync(id, Admin, new RunbookStepOptions { OverrideReason = "the caller is a decommissioned batch job" });

        Assert.Equal(("watch", PlanStatus.PreconditionFailed), (blocked.StepName, blocked.Status));
        Assert.True(blocked.CanOverride);
        Assert.Contains("used 5 times", blocked.Problems[0], StringComparison.Ordinal);
        Assert.Contains(blocked.Notes, n => n.StartsWith("eu-west-1: 5 requests", StringComparison.Ordinal));
        Assert.Contains(blocked.Warnings, w => w.Contains("names the key id or ARN directly", StringComparison.Ordinal));
        Assert.Contains("Only an Admin may override", Assert.Single(operatorOverride.Problems), StringComparison.Ordinal);
        Assert.Equal(PlanStatus.PreconditionFailed, shortReason.Status);
        Assert.Equal(PlanStatus.NothingToDo, overridden.Status);
        Assert.Equal(RunbookStepState.Done, result!.State);
        var state = await h.StateAsync(id);
        Assert.Equal(("the caller is a decommissioned batch job", "ada"), (state.DrainOverrideReason, state.DrainOverrideBy));
        var journal = await h.Journal.QueryAsync(new JournalQuery { Action = "Runbook.ManualRotation.watch" }, default);
        Assert.Contains(journal, e => e.Outcome == "Succeeded" && e.Summary.Contains("decommissioned batch job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDrainCheckPassesOnceTheOldKeyWasUnusedForTheWindow()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await RunToWatchAsync(h, oldKeyId);
        await h.Kms("us-east-1").EncryptAsync(new Sdk.EncryptRequest { KeyId = oldKeyId, Plaintext = new MemoryStream([1]) });
        Assert.Equal(PlanStatus.PreconditionFailed, (await h.Runbooks.PlanStepAsync(Operator, id, null, default)).Status);

        h.Clock.Advance(TimeSpan.FromMinutes(63));
        var (plan, result) = await h.RunNextAsync(id);

        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Contains(plan.Notes, n => n.Contains("it has drained", StringComparison.Ordinal));
        Assert.Equal(RunbookStepState.Done, result!.State);
    }

    [Fact]
    public async Task DisableNeedsAnAdminAndTheKeyIdTypedThenDeletionWaitsForTheWaitingPeriodAndGoesReplicasFirst()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await RunToWatchAsync(h, oldKeyId);
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.RunStepAsync(id, "watch");

        var asOperator = await h.Runbooks.PlanStepAsync(Operator, id, new RunbookStepOptions { WaitingDays = 3 }, default);
        await h.Runbooks.ReleaseAsync(Operator, id, default);
        var plan = await h.Runbooks.PlanStepAsync(Admin, id, new RunbookStepOptions { WaitingDays = 3 }, default);
        var untyped = await h.Runbooks.ExecuteAsync(Admin, plan, "yes", default);
        Assert.Equal(0, h.Count("DisableKey"));
        plan = await h.Runbooks.PlanStepAsync(Admin, id, new RunbookStepOptions { WaitingDays = 3 }, default);
        var disabled = await h.Runbooks.ExecuteAsync(Admin, plan, oldKeyId, default);

        Assert.Equal(PlanStatus.Forbidden, asOperator.Status);
        Assert.Contains("needs the role Admin", Assert.Single(asOperator.Problems), StringComparison.Ordinal);
        Assert.True(plan.RequiresTypedConfirmation);
        Assert.True(untyped.Refused);
        Assert.Equal(RunbookStepState.Done, disabled.State);
        Assert.Equal(3, h.Count("DisableKey"));
        foreach (var region in new[] { "us-east-1", "us-west-2", "eu-west-1" })
            Assert.Equal("Disabled", (await h.DescribeAsync(region, oldKeyId)).KeyState.Value);

        var waiting = await h.Runbooks.PlanStepAsync(Admin, id, new RunbookStepOptions { PendingWindowDays = 7 }, default);
        Assert.Equal(PlanStatus.PreconditionFailed, waiting.Status);
        Assert.Contains("waiting period", waiting.Problems[0], StringComparison.Ordinal);
        h.Clock.Advance(TimeSpan.FromDays(3.1));
        h.Sent.Clear();
        await h.RunStepAsync(id, "schedule-deletion", Admin, new RunbookStepOptions { PendingWindowDays = 7 });

        var order = h.Sent.Where(c => c.Operation == "ScheduleKeyDeletion").Select(c => c.Region).ToList();
        Assert.Equal("us-east-1", order[^1]);
        Assert.Equal(3, order.Count);
        Assert.Equal("PendingReplicaDeletion", (await h.DescribeAsync("us-east-1", oldKeyId)).KeyState.Value);
        Assert.Equal("PendingDeletion", (await h.DescribeAsync("eu-west-1", oldKeyId)).KeyState.Value);
        Assert.Equal(RunbookStatus.Finished, (await h.Runbooks.GetAsync(id, default))!.Runbook.Status);

        var view = await h.Runbooks.GetAsync(id, default);
        Assert.False(view!.CanRollBack);
        Assert.Null(await h.Runbooks.AddExtraStepAsync(Operator, id, "cancel-deletion", default));
        await h.RunStepAsync(id, "cancel-deletion");
        foreach (var region in new[] { "us-east-1", "us-west-2", "eu-west-1" })
            Assert.Equal("Disabled", (await h.DescribeAsync(region, oldKeyId)).KeyState.Value);
        view = await h.Runbooks.GetAsync(id, default);
        Assert.Equal(("schedule-deletion", RunbookStatus.Open), (view!.Current!.Name, view.Runbook.Status));
    }

    [Fact]
    public async Task ReEnablingDuringTheWaitingPeriodBringsTheOldKeyBackAndDisableMustBeRunAgain()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync(replicas: ["us-west-2"]);
        var id = await RunToWatchAsync(h, oldKeyId);
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.RunStepAsync(id, "watch");
        await h.RunStepAsync(id, "disable", Admin, new RunbookStepOptions { WaitingDays = 7 });

        // Ada holds the runbook until she lets go (or her hold lapses): Otto then re-enables during the waiting period.
        await h.Runbooks.ReleaseAsync(Admin, id, default);
        var offered = (await h.Runbooks.GetAsync(id, default))!.ExtraSteps.Select(s => s.Name);
        Assert.Null(await h.Runbooks.AddExtraStepAsync(Operator, id, "reenable-old", default));
        await h.RunStepAsync(id, "reenable-old");

        Assert.Contains("reenable-old", offered);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-west-2", oldKeyId)).KeyState.Value);
        var view = await h.Runbooks.GetAsync(id, default);
        Assert.Equal("disable", view!.Current!.Name);
        Assert.Null((await h.StateAsync(id)).WaitUntil);
    }

    [Fact]
    public async Task RetireRunsWatchDisableAndScheduleDeletionAloneAndIsRefusedWhenReadOnly()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(alias: "alias/old-reports", replicas: ["eu-west-1"]);
        var (id, problems) = await h.Runbooks.StartAsync(Operator, new RetireInputs { KeyId = keyId, DrainHours = 1 }, default);
        Assert.Empty(problems);

        await h.RunStepAsync(id!.Value, "watch");
        await h.RunStepAsync(id.Value, "disable", Admin, new RunbookStepOptions { WaitingDays = 0 });
        await h.RunStepAsync(id.Value, "schedule-deletion", Admin, new RunbookStepOptions { PendingWindowDays = 30 });

        Assert.Equal("PendingDeletion", (await h.DescribeAsync("eu-west-1", keyId)).KeyState.Value);
        Assert.Equal("PendingReplicaDeletion", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        var summary = Assert.Single(await h.Runbooks.ListAsync(default));
        Assert.Equal(("Retire", "otto", RunbookStatus.Finished), (summary.Kind, summary.StartedByName, summary.Status));
    }

    [Fact]
    public async Task ReadOnlyAndViewersAreRefusedEverything()
    {
        await using var ro = await StartAsync(readOnly: true);
        var keyId = await ro.CreateKeySetAsync(replicas: []);
        var (none, refused) = await ro.Runbooks.StartAsync(Admin, new ManualRotationInputs { KeyId = keyId }, default);
        Assert.Null(none);
        Assert.Contains("read-only", Assert.Single(refused), StringComparison.Ordinal);

        await using var h = await StartAsync();
        var key = await h.CreateKeySetAsync(replicas: []);
        var (viewerId, viewerProblems) = await h.Runbooks.StartAsync(Viewer, new ManualRotationInputs { KeyId = key }, default);
        var id = await h.StartRotationAsync(key);
        var viewerPlan = await h.Runbooks.PlanStepAsync(Viewer, id, null, default);

        Assert.Null(viewerId);
        Assert.Contains("needs the role Operator or Admin", Assert.Single(viewerProblems), StringComparison.Ordinal);
        Assert.Equal(PlanStatus.Forbidden, viewerPlan.Status);
    }

    /// <summary>Steps 1–6 as the Operator; the runbook then stands at the watch step.</summary>
    internal static async Task<Guid> RunToWatchAsync(RunbookHarness h, string oldKeyId)
    {
        var id = await h.StartRotationAsync(oldKeyId);
        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify", "reencrypt-s3" }) await h.RunStepAsync(id, step);
        return id;
    }
}
