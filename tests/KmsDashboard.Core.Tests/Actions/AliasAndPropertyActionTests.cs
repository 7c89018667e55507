using KmsDashboard.Core.Actions;
using KmsDashboard.Sandbox.Hosting;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>Aliases (create, re-point, delete, align across a key set), tags, description and copy from the primary.</summary>
public sealed class AliasAndPropertyActionTests
{
    private static async Task<string?> TargetOfAsync(ActionsHarness h, string region, string alias) =>
        (await h.Kms(region).ListAliasesAsync(new Sdk.ListAliasesRequest())).Aliases?.FirstOrDefault(a => a.AliasName == alias)?.TargetKeyId;

    [Fact]
    public async Task CreateRepointAndDeleteAnAlias()
    {
        await using var h = await StartAsync();
        var first = await h.CreateSingleRegionKeyAsync();
        var second = await h.CreateSingleRegionKeyAsync();

        var (_, created) = await h.RunAsync(Operator, new CreateAliasRequest { KeyId = first, Region = "us-east-1", AliasName = "alias/app-config" });
        Assert.Equal(first, await TargetOfAsync(h, "us-east-1", "alias/app-config"));
        var (repointPlan, repointed) = await h.RunAsync(Operator, new UpdateAliasRequest { KeyId = second, Region = "us-east-1", AliasName = "alias/app-config" });
        Assert.Equal(second, await TargetOfAsync(h, "us-east-1", "alias/app-config"));
        Assert.Contains(repointPlan.BlastRadius, l => l.Contains(first, StringComparison.Ordinal));
        var (_, deleted) = await h.RunAsync(Operator, new DeleteAliasRequest { KeyId = second, Region = "us-east-1", AliasName = "alias/app-config" });

        Assert.Equal([ActionOutcome.Succeeded, ActionOutcome.Succeeded, ActionOutcome.Succeeded], new[] { created!.Outcome, repointed!.Outcome, deleted!.Outcome });
        Assert.Null(await TargetOfAsync(h, "us-east-1", "alias/app-config"));
    }

    [Theory]
    [InlineData("payments", "must start with 'alias/'")]
    [InlineData("alias/", "needs a name")]
    [InlineData("alias/aws/s3", "reserved")]
    [InlineData("alias/pay ments", "may hold only")]
    [InlineData("alias/ümlaut", "may hold only")]
    [InlineData("", "An alias name is required")]
    public async Task ABadAliasNameIsInvalidAndNothingIsSent(string alias, string message)
    {
        await using var h = await StartAsync();

        var plan = await h.Operations.PlanAsync(Operator, new CreateAliasRequest { KeyId = "11111111-2222-3333-4444-555555555555", Region = "us-east-1", AliasName = alias }, default);

        Assert.Equal(PlanStatus.Invalid, plan.Status);
        Assert.Contains(plan.Problems, p => p.Contains(message, StringComparison.Ordinal));
        Assert.Empty(h.Sent);
    }

    [Fact]
    public async Task AnAliasOver256CharactersIsInvalid()
    {
        await using var h = await StartAsync();

        var plan = await h.Operations.PlanAsync(Operator, new CreateAliasRequest { KeyId = "11111111-2222-3333-4444-555555555555", Region = "us-east-1", AliasName = "alias/" + new string('a', 251) }, default);

        Assert.Contains(plan.Problems, p => p.Contains("at most 256", StringComparison.Ordinal));
        Assert.Empty(h.Sent);
    }

    [Fact]
    public async Task AliasPreconditionsAreCheckedAgainstTheRegionsAliases()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(alias: "alias/orders");
        var other = await h.CreateSingleRegionKeyAsync();

        var duplicate = await h.Operations.PlanAsync(Operator, new CreateAliasRequest { KeyId = other, Region = "us-east-1", AliasName = "alias/orders" }, default);
        var missing = await h.Operations.PlanAsync(Operator, new UpdateAliasRequest { KeyId = other, Region = "us-east-1", AliasName = "alias/none" }, default);
        var notHers = await h.Operations.PlanAsync(Operator, new DeleteAliasRequest { KeyId = other, Region = "us-east-1", AliasName = "alias/orders" }, default);
        var same = await h.Operations.PlanAsync(Operator, new UpdateAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/orders" }, default);

        Assert.Contains(duplicate.Problems, p => p.Contains("already exists", StringComparison.Ordinal));
        Assert.Contains(missing.Problems, p => p.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(notHers.Problems, p => p.Contains("not at " + other, StringComparison.Ordinal));
        Assert.Equal(PlanStatus.NothingToDo, same.Status);
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task AlignAliasCreatesItWhereMissingAndRepointsItWhereItDrifted()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"]);
        var stray = await h.CreateSingleRegionKeyAsync("eu-west-1");
        await h.Kms("us-east-1").CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = "alias/payments", TargetKeyId = keyId });
        await h.Kms("eu-west-1").CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = "alias/payments", TargetKeyId = stray });
        h.Sent.Clear();

        var (plan, result) = await h.RunAsync(Operator, new AlignAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/payments" });

        Assert.Equal(["eu-west-1 UpdateAlias", "us-west-2 CreateAlias"], plan.Calls.Select(c => $"{c.Region} {c.Operation}").Order());
        Assert.Contains(plan.Notes, n => n.Contains("us-east-1: alias/payments already points at the key", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        foreach (var region in new[] { "us-east-1", "us-west-2", "eu-west-1" })
            Assert.Equal(keyId, await TargetOfAsync(h, region, "alias/payments"));
    }

    [Fact]
    public async Task AlignAliasReportsARegionThatFailsMidActionAndAlignsTheOthers()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"]);
        var plan = await h.Operations.PlanAsync(Operator, new AlignAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/ledger" }, default);
        h.Faults.Set("eu-west-1", new RegionFault(Outage: true));

        var result = await h.Operations.ExecuteAsync(Operator, plan, null, default);
        h.Faults.Clear("eu-west-1");

        Assert.Equal(ActionOutcome.PartiallySucceeded, result.Outcome);
        Assert.Contains("eu-west-1", result.Summary, StringComparison.Ordinal);
        Assert.Equal(keyId, await TargetOfAsync(h, "us-east-1", "alias/ledger"));
        Assert.Equal(keyId, await TargetOfAsync(h, "us-west-2", "alias/ledger"));
        Assert.Null(await TargetOfAsync(h, "eu-west-1", "alias/ledger"));
    }

    [Fact]
    public async Task AlignAliasSkipsARegionThatCannotBeReadWhilePlanning()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2"]);
        h.Faults.Set("us-west-2", new RegionFault(Outage: true));

        var plan = await h.Operations.PlanAsync(Operator, new AlignAliasRequest { KeyId = keyId, Region = "us-east-1", AliasName = "alias/ledger" }, default);
        h.Faults.Clear("us-west-2");

        Assert.Equal(PlanStatus.Ready, plan.Status);
        Assert.Equal("us-east-1", Assert.Single(plan.Calls).Region);
        Assert.Contains(plan.Notes, n => n.StartsWith("us-west-2: could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EditTagsAddsChangesAndRemovesToMatchTheGivenSet()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(tags: new() { ["Team"] = "payments", ["Old"] = "yes" });

        var (plan, result) = await h.RunAsync(Operator, new EditTagsRequest
        {
            KeyId = keyId, Region = "us-east-1", Tags = new Dictionary<string, string> { ["Team"] = "ledger", ["Env"] = "prod" },
        });

        Assert.Equal(["TagResource", "UntagResource"], plan.Calls.Select(c => c.Operation));
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        var tags = (await h.Kms("us-east-1").ListResourceTagsAsync(new Sdk.ListResourceTagsRequest { KeyId = keyId })).Tags.ToDictionary(t => t.TagKey, t => t.TagValue);
        Assert.Equal(new Dictionary<string, string> { ["Env"] = "prod", ["Team"] = "ledger" }, tags);
    }

    [Fact]
    public async Task ATagKeyStartingWithAwsIsInvalid()
    {
        await using var h = await StartAsync();

        var plan = await h.Operations.PlanAsync(Operator, new EditTagsRequest
        {
            KeyId = "11111111-2222-3333-4444-555555555555", Region = "us-east-1", Tags = new Dictionary<string, string> { ["aws:cloudformation"] = "x" },
        }, default);

        Assert.Equal(PlanStatus.Invalid, plan.Status);
        Assert.Empty(h.Sent);
    }

    [Fact]
    public async Task EditDescriptionSetsItAndADescriptionOver8192CharactersIsInvalid()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();

        var (_, result) = await h.RunAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = "config secrets" });
        h.Sent.Clear();
        var tooLong = await h.Operations.PlanAsync(Operator, new EditDescriptionRequest { KeyId = keyId, Region = "us-east-1", Description = new string('x', 8193) }, default);

        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        Assert.Equal("config secrets", (await h.DescribeAsync("us-east-1", keyId)).Description);
        Assert.Equal(PlanStatus.Invalid, tooLong.Status);
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task CopyPrimaryPropertiesBringsTheReplicasTagsAndDescriptionInLine()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"], tags: new() { ["Team"] = "payments" }, description: "payments");
        await h.Kms("eu-west-1").TagResourceAsync(new Sdk.TagResourceRequest { KeyId = keyId, Tags = [new Sdk.Tag { TagKey = "Team", TagValue = "eu" }, new Sdk.Tag { TagKey = "Extra", TagValue = "1" }] });
        await h.Kms("eu-west-1").UpdateKeyDescriptionAsync(new Sdk.UpdateKeyDescriptionRequest { KeyId = keyId, Description = "drifted" });
        h.Sent.Clear();

        var (plan, result) = await h.RunAsync(Operator, new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = "us-east-1" });

        Assert.Contains(plan.Calls, c => c.Region == "eu-west-1" && c.Operation == "UntagResource");
        Assert.DoesNotContain(plan.Calls, c => c.Region == "us-east-1");
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        foreach (var region in new[] { "us-west-2", "eu-west-1" })
        {
            Assert.Equal("payments", (await h.DescribeAsync(region, keyId)).Description);
            var tags = (await h.Kms(region).ListResourceTagsAsync(new Sdk.ListResourceTagsRequest { KeyId = keyId })).Tags;
            Assert.Equal(("Team", "payments"), (Assert.Single(tags).TagKey, tags[0].TagValue));
        }
    }

    [Fact]
    public async Task CopyPrimaryPropertiesNeedsSomethingToCopyAndAReplica()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();

        var nothingChosen = await h.Operations.PlanAsync(Operator, new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = "us-east-1", CopyTags = false, CopyDescription = false }, default);
        Assert.Empty(h.Sent);
        var noReplica = await h.Operations.PlanAsync(Operator, new CopyPrimaryPropertiesRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Equal(PlanStatus.Invalid, nothingChosen.Status);
        Assert.Contains(noReplica.Problems, p => p.Contains("no replica", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }
}
