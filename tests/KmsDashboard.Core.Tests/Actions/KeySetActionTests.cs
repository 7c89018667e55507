using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Sandbox.Hosting;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>Replicate and change of primary Region: the multi-Region actions, against the sandbox.</summary>
public sealed class KeySetActionTests
{
    [Fact]
    public async Task ReplicateCopiesThePrimarysDescriptionTagsAndPolicyToEachNewRegionAndJournalsIt()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(tags: new() { ["Team"] = "payments", ["Env"] = "prod" }, description: "payments");

        var (plan, result) = await h.RunAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1", "eu-central-1"] });

        Assert.Equal(PlanStatus.Ready, plan.Status);
        Assert.Equal(["ReplicateKey", "ReplicateKey"], plan.Calls.Select(c => c.Operation));
        Assert.All(plan.Calls, c => Assert.Equal("us-east-1", c.Region));
        Assert.Contains(plan.Calls, c => c.Parameters.Contains("ReplicaRegion=eu-west-1", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        Assert.All(result.Calls, c => Assert.False(string.IsNullOrEmpty(c.RequestId)));
        h.Settle();
        foreach (var region in new[] { "eu-west-1", "eu-central-1" })
        {
            var replica = await h.DescribeAsync(region, keyId);
            Assert.Equal("REPLICA", replica.MultiRegionConfiguration.MultiRegionKeyType.Value);
            Assert.Equal("payments", replica.Description);
            var tags = (await h.Kms(region).ListResourceTagsAsync(new Sdk.ListResourceTagsRequest { KeyId = keyId })).Tags;
            Assert.Contains(tags, t => t.TagKey == "Env" && t.TagValue == "prod");
        }
        var entry = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default));
        Assert.Equal(("otto", "Replicate", "Succeeded"), (entry.User, entry.Action, entry.Outcome));
        Assert.Equal(2, entry.Calls.Count(c => c.RequestId is { Length: > 0 }));
        Assert.Contains("eu-central-1", entry.Inputs, StringComparison.Ordinal);
        Assert.Contains("ReplicateKey", entry.Plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicateWithGivenDescriptionAndTagsUsesThemInsteadOfThePrimarys()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();

        var (_, result) = await h.RunAsync(Operator, new ReplicateKeyRequest
        {
            KeyId = keyId, Region = "us-east-1", TargetRegions = ["us-west-2"], Description = "west copy",
            Tags = new Dictionary<string, string> { ["Team"] = "west" }, CopyPolicy = false,
        });

        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        Assert.Equal("west copy", (await h.DescribeAsync("us-west-2", keyId)).Description);
        var tags = (await h.Kms("us-west-2").ListResourceTagsAsync(new Sdk.ListResourceTagsRequest { KeyId = keyId })).Tags;
        Assert.Equal("west", Assert.Single(tags).TagValue);
    }

    [Fact]
    public async Task ReplicateFromAReplicaIsPlannedOnThePrimary()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2"]);

        var plan = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-west-2", TargetRegions = ["eu-west-1"] }, default);

        Assert.Equal(PlanStatus.Ready, plan.Status);
        Assert.Equal("us-east-1", Assert.Single(plan.Calls).Region);
        Assert.Contains(plan.BlastRadius, l => l.Contains("us-west-2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mrk-123", "us-east-1", "eu-west-1", "not a multi-Region key id")]
    [InlineData("alias/payments", "us-east-1", "eu-west-1", "is an alias")]
    [InlineData("MRK", "us-east-1", "eu-west-1", "not a key id")]
    [InlineData(null, "us-east-1", "eu-west-1", "A key id is required")]
    [InlineData("mrk-0123456789abcdef0123456789abcdef", "moon-1", "eu-west-1", "not an AWS Region name")]
    [InlineData("mrk-0123456789abcdef0123456789abcdef", "us-east-1", "ap-south-2", "not one of the dashboard's Regions")]
    [InlineData("mrk-0123456789abcdef0123456789abcdef", "us-east-1", "", "A Region is required")]
    [InlineData("11111111-2222-3333-4444-555555555555", "us-east-1", "eu-west-1", "needs a multi-Region key")]
    [InlineData("arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef", "us-east-1", "us-west-2", "names Region eu-west-1")]
    [InlineData("arn:aws:kms:eu-west-1:1111:key/mrk-0123456789abcdef0123456789abcdef", "", "us-west-2", "not a KMS key ARN")]
    public async Task ReplicateWithBadInputSendsNothingAndSaysWhatIsWrong(string? keyId, string region, string target, string message)
    {
        await using var h = await StartAsync();

        var plan = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId!, Region = region, TargetRegions = [target] }, default);

        Assert.Equal(PlanStatus.Invalid, plan.Status);
        Assert.Contains(plan.Problems, p => p.Contains(message, StringComparison.Ordinal));
        Assert.False(plan.CanExecute);
        Assert.Empty(h.Sent);
    }

    [Fact]
    public async Task ReplicateWithNoTargetOrATargetTwiceIsInvalid()
    {
        await using var h = await StartAsync();
        const string keyId = "mrk-0123456789abcdef0123456789abcdef";

        var none = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = [] }, default);
        var twice = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1", "eu-west-1"] }, default);
        var badTag = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest
        {
            KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1"], Tags = new Dictionary<string, string> { ["aws:owner"] = "x" },
        }, default);

        Assert.Contains(none.Problems, p => p.Contains("at least one target Region", StringComparison.Ordinal));
        Assert.Contains(twice.Problems, p => p.Contains("listed twice", StringComparison.Ordinal));
        Assert.Contains(badTag.Problems, p => p.Contains("'aws:'", StringComparison.Ordinal));
        Assert.Empty(h.Sent);
    }

    [Fact]
    public async Task ReplicatePlansOnlyTheRegionsStillMissingAndIsRefusedWhereThePrimaryIs()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2"]);

        var existing = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["us-west-2"] }, default);
        // As after a partial outcome (us-west-2's call went through, eu-west-1's did not): asked again, only eu-west-1 is planned.
        var partial = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["us-west-2", "eu-west-1"] }, default);
        var primary = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["us-east-1"] }, default);
        var missing = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = "mrk-0123456789abcdef0123456789abcdef", Region = "us-east-1", TargetRegions = ["eu-west-1"] }, default);

        Assert.Equal(PlanStatus.NothingToDo, existing.Status);
        Assert.Contains(existing.Notes, p => p.Contains("us-west-2 already holds a replica", StringComparison.Ordinal));
        Assert.Equal(PlanStatus.Ready, partial.Status);
        Assert.Equal("ReplicaRegion=eu-west-1", Assert.Single(partial.Calls).Parameters.Split(", ")[1]);
        Assert.Contains(primary.Problems, p => p.Contains("holds the primary itself", StringComparison.Ordinal));
        Assert.Contains(missing.Problems, p => p.Contains("There is no key", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task ReplicateReportsEachRegionWhenThePrimarysRegionFailsMidAction()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        var plan = await h.Operations.PlanAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1"] }, default);
        h.Faults.Set("us-east-1", new RegionFault(Outage: true));

        var result = await h.Operations.ExecuteAsync(Operator, plan, null, default);

        Assert.Equal(ActionOutcome.Failed, result.Outcome);
        var call = Assert.Single(result.Calls);
        Assert.Equal(CallStatus.Failed, call.Status);
        Assert.Contains("ServiceUnavailable", call.Message, StringComparison.Ordinal);
        h.Faults.Clear("us-east-1");
        Assert.Equal("Failed", Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId }, default)).Outcome);
    }

    [Fact]
    public async Task ChangePrimaryMovesThePrimaryAndBothKeysShowUpdatingUntilDone()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["eu-west-1"], alias: "alias/orders");

        var plan = await h.Operations.PlanAsync(Admin, new ChangePrimaryRegionRequest { KeyId = keyId, Region = "us-east-1", NewPrimaryRegion = "eu-west-1" }, default);
        Assert.True(plan.RequiresTypedConfirmation);
        Assert.Contains("alias/orders", plan.ConfirmationTexts);
        var result = await h.Operations.ExecuteAsync(Admin, plan, "alias/orders", default);

        Assert.Equal(ActionOutcome.Succeeded, result.Outcome);
        Assert.Equal("Updating", (await h.DescribeAsync("eu-west-1", keyId)).KeyState.Value);
        Assert.Equal("Updating", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        h.Settle();
        var moved = await h.DescribeAsync("eu-west-1", keyId);
        Assert.Equal("PRIMARY", moved.MultiRegionConfiguration.MultiRegionKeyType.Value);
    }

    [Fact]
    public async Task ChangePrimaryIsRefusedWhenTheTargetHoldsNoReplicaOrTheKeysAreUpdating()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["eu-west-1"]);

        var noReplica = await h.Operations.PlanAsync(Admin, new ChangePrimaryRegionRequest { KeyId = keyId, Region = "us-east-1", NewPrimaryRegion = "us-west-2" }, default);
        await h.Kms("us-east-1").UpdatePrimaryRegionAsync(new Sdk.UpdatePrimaryRegionRequest { KeyId = keyId, PrimaryRegion = "eu-west-1" });
        h.Sent.Clear();
        var updating = await h.Operations.PlanAsync(Admin, new ChangePrimaryRegionRequest { KeyId = keyId, Region = "eu-west-1", NewPrimaryRegion = "us-east-1" }, default);

        Assert.Contains(noReplica.Problems, p => p.Contains("holds no replica", StringComparison.Ordinal));
        Assert.Equal(PlanStatus.PreconditionFailed, updating.Status);
        Assert.Contains(updating.Problems, p => p.Contains("Updating", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task AfterAnActionTheInventoryHoldsTheNewState()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();

        await h.RunAsync(Operator, new ReplicateKeyRequest { KeyId = keyId, Region = "us-east-1", TargetRegions = ["eu-west-1"] });

        Assert.NotNull(h.Inventory.Current.Find(new KeyRef("eu-west-1", keyId)));
    }
}
