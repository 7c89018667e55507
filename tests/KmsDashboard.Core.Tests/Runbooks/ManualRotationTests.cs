using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Sandbox.Hosting;
using static KmsDashboard.Core.Tests.Runbooks.RunbookHarness;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>Steps 1–5 of the manual rotation against the sandbox: choose, create, replicate, move aliases, verify.</summary>
public sealed class ManualRotationTests
{
    [Fact]
    public async Task StepsOneToFiveLeaveTheAliasOnANewKeySetInEveryRegion()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await h.StartRotationAsync(oldKeyId);

        var choose = await h.Runbooks.PlanStepAsync(Operator, id, null, default);
        Assert.Equal("choose", choose.StepName);
        Assert.Contains(choose.Notes, n => n.Contains("alias/payments in eu-west-1", StringComparison.Ordinal));
        Assert.Equal("Encrypt", Assert.Single(choose.Calls).Operation);
        await h.Runbooks.ExecuteAsync(Operator, choose, null, default);
        var create = await h.RunStepAsync(id, "create");
        await h.RunStepAsync(id, "replicate");
        await h.RunStepAsync(id, "move-aliases");
        var verify = await h.RunStepAsync(id, "verify");

        var state = await h.StateAsync(id);
        var newKeyId = state.NewKeyId!;
        Assert.NotEqual(oldKeyId, newKeyId);
        Assert.StartsWith("mrk-", newKeyId, StringComparison.Ordinal);
        var primary = await h.DescribeAsync("us-east-1", newKeyId);
        Assert.Equal("PRIMARY", primary.MultiRegionConfiguration.MultiRegionKeyType.Value);
        Assert.StartsWith("payments (rotated ", primary.Description, StringComparison.Ordinal);
        var tags = (await h.Kms("us-east-1").ListResourceTagsAsync(new Sdk.ListResourceTagsRequest { KeyId = newKeyId })).Tags;
        Assert.Contains(tags, t => t.TagKey == "Team" && t.TagValue == "payments");
        Assert.Contains(tags, t => t.TagKey == "kmsdashboard:runbook" && t.TagValue == id.ToString());
        var rotation = await h.Kms("us-east-1").GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = newKeyId });
        Assert.True(rotation.KeyRotationEnabled);
        Assert.Equal(180, rotation.RotationPeriodInDays);
        foreach (var region in new[] { "us-east-1", "us-west-2", "eu-west-1" })
        {
            Assert.Equal(newKeyId, (await h.DescribeAsync(region, "alias/payments")).KeyId);
            Assert.Equal("Enabled", (await h.DescribeAsync(region, newKeyId)).KeyState.Value);
            Assert.Equal("Enabled", (await h.DescribeAsync(region, oldKeyId)).KeyState.Value);
        }
        Assert.Equal(3, verify.Regions.Count(r => r.State == RegionResult.Done));
        Assert.All(verify.Regions, r => Assert.Contains("Old ciphertext still decrypts", r.Message, StringComparison.Ordinal));
        Assert.Contains(create.Calls, c => c.Operation == "CreateKey" && c.RequestId is { Length: > 0 });
        Assert.Equal((1, 2, 3), (h.Count("CreateKey", "us-east-1"), h.Count("ReplicateKey"), h.Count("UpdateAlias")));

        var view = await h.Runbooks.GetAsync(id, default);
        Assert.Equal(RunbookStatus.Open, view!.Runbook.Status);
        Assert.Equal("reencrypt-s3", view.Current!.Name);
        Assert.All(view.Calls, c => Assert.Equal("Succeeded", c.State));
        var journal = await h.Journal.QueryAsync(new JournalQuery { KeyId = oldKeyId }, default);
        Assert.Contains(journal, e => e.Action == "Runbook.ManualRotation.create" && e.Outcome == "Started");
        var created = Assert.Single(journal, e => e.Action == "Runbook.ManualRotation.create" && e.Outcome == "Succeeded");
        Assert.Contains(created.Calls, c => c.Operation == "CreateKey" && c.RequestId is { Length: > 0 });
        // The journal's "Started" entry is written before the step's first AWS call.
        var started = Assert.Single(journal, e => e.Action == "Runbook.ManualRotation.create" && e.Outcome == "Started");
        Assert.True(started.Id < created.Id);
    }

    [Fact]
    public async Task TheS3StepWithNoDependentBucketHasNothingToDoAndIsDone()
    {
        await using var h = await StartAsync();
        var id = await h.StartRotationAsync(await h.CreateKeySetAsync(replicas: []));
        foreach (var step in new[] { "choose", "create", "replicate", "move-aliases", "verify" }) await h.RunStepAsync(id, step);

        var (plan, result) = await h.RunNextAsync(id);

        Assert.Equal("reencrypt-s3", plan.StepName);
        Assert.Equal(PlanStatus.NothingToDo, plan.Status);
        Assert.Contains(plan.Notes, n => n.StartsWith("No bucket in us-east-1 names the old key", StringComparison.Ordinal));
        Assert.Equal(RunbookStepState.Done, result!.State);
        Assert.Equal("watch", (await h.Runbooks.GetAsync(id, default))!.Current!.Name);
    }

    [Fact]
    public async Task ARegionFailingInReplicateAndMoveAliasesLeavesThoseStepsPartialAndTheRetryDoesOnlyTheRest()
    {
        await using var h = await StartAsync();
        var oldKeyId = await h.CreateKeySetAsync();
        var id = await h.StartRotationAsync(oldKeyId);
        await h.RunStepAsync(id, "choose");
        await h.RunStepAsync(id, "create");

        h.Faults.Set("eu-west-1", new RegionFault(Outage: true));
        var partial = await h.RunStepAsync(id, "replicate", expected: RunbookStepState.Partial);
        Assert.Equal(RegionResult.Failed, Assert.Single(partial.Regions, r => r.Region == "eu-west-1").State);
        Assert.Equal(RegionResult.Done, Assert.Single(partial.Regions, r => r.Region == "us-west-2").State);
        h.Faults.Clear("eu-west-1");
        await h.RunStepAsync(id, "replicate");
        Assert.Equal(2, h.Count("ReplicateKey"));

        h.Faults.Set("us-west-2", new RegionFault(Outage: true));
        var moved = await h.RunStepAsync(id, "move-aliases", expected: RunbookStepState.Partial);
        Assert.Equal(RegionResult.Failed, Assert.Single(moved.Regions, r => r.Region == "us-west-2").State);
        Assert.Equal(2, h.Count("UpdateAlias"));
        var newKeyId = (await h.StateAsync(id)).NewKeyId!;
        h.Faults.Clear("us-west-2");
        Assert.Equal(oldKeyId, (await h.DescribeAsync("us-west-2", "alias/payments")).KeyId);
        var retry = await h.RunStepAsync(id, "move-aliases");

        Assert.Equal(3, h.Count("UpdateAlias"));
        Assert.Equal(newKeyId, (await h.DescribeAsync("us-west-2", "alias/payments")).KeyId);
        Assert.Contains(retry.Regions, r => r.Region == "us-east-1" && r.Message.Contains("already on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartIsRefusedWithReasonsAndStoresNothingForBadInput()
    {
        await using var h = await StartAsync();
        var single = (await h.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest())).KeyMetadata.KeyId;
        var noAlias = await h.CreateKeySetAsync(alias: "alias/x", replicas: []);
        await h.Kms("us-east-1").DeleteAliasAsync(new Sdk.DeleteAliasRequest { AliasName = "alias/x" });

        var (a, singleProblems) = await h.Runbooks.StartAsync(Operator, new ManualRotationInputs { KeyId = single }, default);
        var (b, aliasProblems) = await h.Runbooks.StartAsync(Operator, new ManualRotationInputs { KeyId = noAlias }, default);
        var (c, drainProblems) = await h.Runbooks.StartAsync(Operator, new ManualRotationInputs { KeyId = noAlias, DrainHours = 0 }, default);
        var (d, missing) = await h.Runbooks.StartAsync(Operator, new ManualRotationInputs { KeyId = "mrk-0123456789abcdef0123456789abcdef" }, default);

        Assert.Contains("single-Region", Assert.Single(singleProblems), StringComparison.Ordinal);
        Assert.Contains("no alias to move", Assert.Single(aliasProblems), StringComparison.Ordinal);
        Assert.Contains("drain window", Assert.Single(drainProblems), StringComparison.Ordinal);
        Assert.Contains("No key", Assert.Single(missing), StringComparison.Ordinal);
        Assert.True(a is null && b is null && c is null && d is null);
        Assert.Empty(await h.Runbooks.ListAsync(default));
    }
}
