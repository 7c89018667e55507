using KmsDashboard.Core.Runbooks;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;
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

    [Theory]
    [InlineData("create")]
    [InlineData("replicate")]
    [InlineData("move-aliases")]
    [InlineData("reencrypt-s3")]
    [InlineData("watch")]
    public async Task RollbackAfterEachStepBeforeDisableLeavesTheAliasOnTheOldKeyAndTheUnusedNewKeyPendingDeletion(string lastStep)
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync(replicas: ["eu-west-1"]);
        var id = await h.StartRotationAsync(oldKeyId);
        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify", "reencrypt-s3", "watch" })
        {
            // The watch step goes on once the old key was unused for the drain window (1 hour).
            if (step == "watch") h.Clock.Advance(TimeSpan.FromHours(2));
            await h.RunStepAsync(id, step);
            if (step == lastStep) break;
        }
        var newKeyId = (await h.StateAsync(id)).NewKeyId!;

        Assert.Null(await h.Runbooks.RollBackAsync(Operator, id, default));
        await h.RunStepAsync(id, "reenable-old");
        await h.RunStepAsync(id, "move-aliases-back");
        await h.Runbooks.ReleaseAsync(Operator, id, default);
        await h.RunStepAsync(id, "delete-new-key", Admin);

        foreach (var region in new[] { "us-east-1", "eu-west-1" })
            Assert.Equal(oldKeyId, (await h.DescribeAsync(region, "alias/payments")).KeyId);
        Assert.StartsWith("Pending", (await h.DescribeAsync("us-east-1", newKeyId)).KeyState.Value, StringComparison.Ordinal);
        Assert.Equal(RunbookStatus.RolledBack, (await h.Runbooks.GetAsync(id, default))!.Runbook.Status);
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

    [Fact]
    public async Task RollbackAfterTheS3StepPutsTheAliasBackAndKeepsTheNewKeyTheCopiedObjectsNowNeed()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync(replicas: []);
        var s3 = h.Server.Services.GetRequiredService<S3SandboxState>();
        s3.CreateBucket("us-east-1", "ledger");
        s3.SetDefaultKmsEncryption("ledger", "alias/payments");
        for (var i = 0; i < 4; i++) s3.PutObject("ledger", $"l/{i}", [(byte)i], oldKeyId);
        var id = await h.StartRotationAsync(oldKeyId);
        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify", "reencrypt-s3" }) await h.RunStepAsync(id, step);
        var newKeyId = (await h.StateAsync(id)).NewKeyId!;
        var newArn = (await h.DescribeAsync("us-east-1", newKeyId)).Arn;
        Assert.All(s3.ListObjects("ledger"), o => Assert.Equal(newArn, o.KmsKeyArn));

        Assert.Null(await h.Runbooks.RollBackAsync(Operator, id, default));
        await h.RunStepAsync(id, "reenable-old");
        await h.RunStepAsync(id, "move-aliases-back");
        await h.Runbooks.ReleaseAsync(Operator, id, default);
        var keep = await h.RunStepAsync(id, "delete-new-key", Admin);

        // The objects copied under the new key still read back, so the new key must stay; new uploads follow the alias to the old key.
        Assert.Contains("kept", keep.Summary, StringComparison.Ordinal);
        Assert.Equal(0, h.Count("ScheduleKeyDeletion"));
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", newKeyId)).KeyState.Value);
        Assert.Equal(oldKeyId, (await h.DescribeAsync("us-east-1", "alias/payments")).KeyId);
        Assert.All(s3.ListObjects("ledger"), o => Assert.Equal([(byte)int.Parse(o.Key[2..], System.Globalization.CultureInfo.InvariantCulture)], s3.GetObject("ledger", o.Key)));
        Assert.Equal((await h.DescribeAsync("us-east-1", oldKeyId)).Arn, s3.PutObject("ledger", "after", [9]).KmsKeyArn);
        Assert.Equal(RunbookStatus.RolledBack, (await h.Runbooks.GetAsync(id, default))!.Runbook.Status);
    }
}
