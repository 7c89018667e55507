using KmsDashboard.Core.Runbooks;
using static KmsDashboard.Core.Tests.Runbooks.RunbookHarness;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>Rollback as steps of the same runbook: old key re-enabled, aliases moved back, the unused new key scheduled for deletion.</summary>
public sealed class RunbookRollbackTests
{
    [Fact]
    public async Task RollbackAfterTheAliasesMovedPutsThemBackAndDeletesTheUnusedNewKey()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await h.StartRotationAsync(oldKeyId);
        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify" }) await h.RunStepAsync(id, step);
        var newKeyId = (await h.StateAsync(id)).NewKeyId!;

        Assert.Null(await h.Runbooks.RollBackAsync(Operator, id, default));
        await h.RunStepAsync(id, "reenable-old");
        await h.RunStepAsync(id, "move-aliases-back");
        var asOperator = await h.Runbooks.PlanStepAsync(Operator, id, null, default);
        await h.Runbooks.ReleaseAsync(Operator, id, default);
        await h.RunStepAsync(id, "delete-new-key", Admin);

        Assert.Equal(KmsDashboard.Core.Actions.PlanStatus.Forbidden, asOperator.Status);
        foreach (var region in new[] { "us-east-1", "us-west-2", "eu-west-1" })
        {
            Assert.Equal(oldKeyId, (await h.DescribeAsync(region, "alias/payments")).KeyId);
            Assert.StartsWith("Pending", (await h.DescribeAsync(region, newKeyId)).KeyState.Value, StringComparison.Ordinal);
        }
        var view = await h.Runbooks.GetAsync(id, default);
        Assert.Equal(RunbookStatus.RolledBack, view!.Runbook.Status);
        Assert.All(view.Runbook.Steps.Where(s => s.Phase == RunbookPhases.Forward && s.Index > 5), s => Assert.Equal(RunbookStepState.Skipped, s.State));
        Assert.Equal(3 + 3, h.Count("UpdateAlias"));
    }

    [Fact]
    public async Task RollbackAfterDisableReEnablesTheOldKeyAndKeepsANewKeyOthersUsed()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync(replicas: ["eu-west-1"]);
        var id = await RunbookRetirementTests.RunToWatchAsync(h, oldKeyId);
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.RunStepAsync(id, "watch");
        await h.RunStepAsync(id, "disable", Admin, new RunbookStepOptions { WaitingDays = 7 });
        // An application used the alias, so the new key carries traffic.
        await h.Kms("eu-west-1").EncryptAsync(new Amazon.KeyManagementService.Model.EncryptRequest { KeyId = "alias/payments", Plaintext = new MemoryStream([9]) });

        Assert.Null(await h.Runbooks.RollBackAsync(Admin, id, default));
        await h.RunStepAsync(id, "reenable-old", Admin);
        await h.RunStepAsync(id, "move-aliases-back", Admin);
        var keep = await h.RunStepAsync(id, "delete-new-key", Admin);

        Assert.Equal("Enabled", (await h.DescribeAsync("eu-west-1", oldKeyId)).KeyState.Value);
        Assert.Equal(oldKeyId, (await h.DescribeAsync("eu-west-1", "alias/payments")).KeyId);
        var newKeyId = (await h.StateAsync(id)).NewKeyId!;
        Assert.Equal("Enabled", (await h.DescribeAsync("eu-west-1", newKeyId)).KeyState.Value);
        Assert.Contains("kept", keep.Summary, StringComparison.Ordinal);
        Assert.Equal(0, h.Count("ScheduleKeyDeletion"));
        Assert.Equal(RunbookStatus.RolledBack, (await h.Runbooks.GetAsync(id, default))!.Runbook.Status);
    }

    [Fact]
    public async Task RollbackBeforeAnyKeyWasMadeHasNothingToUndo()
    {
        await using var h = await StartAsync();
        var id = await h.StartRotationAsync(await h.CreateKeySetAsync(replicas: []));
        await h.RunStepAsync(id, "choose");

        Assert.Null(await h.Runbooks.RollBackAsync(Operator, id, default));
        await h.RunStepAsync(id, "reenable-old");
        await h.RunStepAsync(id, "move-aliases-back");
        await h.RunStepAsync(id, "delete-new-key", Admin);

        Assert.Equal(RunbookStatus.RolledBack, (await h.Runbooks.GetAsync(id, default))!.Runbook.Status);
        Assert.Equal(0, h.Count("CreateKey") + h.Count("UpdateAlias") + h.Count("EnableKey"));
        Assert.NotNull(await h.Runbooks.RollBackAsync(Operator, id, default));
    }
}
