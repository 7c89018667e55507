using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Sandbox.Hosting;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>Enable/disable, rotation, rotate now, schedule and cancel deletion, against the sandbox.</summary>
public sealed class KeyLifecycleActionTests
{
    [Fact]
    public async Task DisableThenEnableAKeyInOneRegionLeavesTheOtherRegionsAlone()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["eu-west-1"]);

        var (disablePlan, disabled) = await h.RunAsync(Admin, new DisableKeyRequest { KeyId = keyId, Region = "eu-west-1" });
        Assert.Equal(ActionOutcome.Succeeded, disabled!.Outcome);
        Assert.Equal("Disabled", (await h.DescribeAsync("eu-west-1", keyId)).KeyState.Value);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        Assert.Contains(disablePlan.Notes, n => n.Contains("DisabledException", StringComparison.Ordinal));

        var (_, enabled) = await h.RunAsync(Operator, new EnableKeyRequest { KeyId = keyId, Region = "eu-west-1" });
        Assert.Equal(ActionOutcome.Succeeded, enabled!.Outcome);
        Assert.Equal("Enabled", (await h.DescribeAsync("eu-west-1", keyId)).KeyState.Value);
    }

    [Fact]
    public async Task EnablingAnEnabledKeyHasNothingToDoAndDisablingAPendingDeletionIsRefused()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();

        var nothing = await h.Operations.PlanAsync(Operator, new EnableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);
        await h.Kms("us-east-1").ScheduleKeyDeletionAsync(new Sdk.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = 7 });
        h.Sent.Clear();
        var refused = await h.Operations.PlanAsync(Admin, new DisableKeyRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Equal(PlanStatus.NothingToDo, nothing.Status);
        Assert.False(nothing.CanExecute);
        Assert.Equal(PlanStatus.PreconditionFailed, refused.Status);
        Assert.Contains(refused.Problems, p => p.Contains("cancel the deletion first", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task RotationIsTurnedOnWithAPeriodOnThePrimaryEvenWhenAskedOnAReplicaAndOffAgain()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2"]);

        var (plan, on) = await h.RunAsync(Operator, new EnableRotationRequest { KeyId = keyId, Region = "us-west-2", RotationPeriodInDays = 180 });
        Assert.Equal(ActionOutcome.Succeeded, on!.Outcome);
        Assert.Equal("us-east-1", Assert.Single(plan.Calls).Region);
        Assert.Contains(plan.Notes, n => n.Contains("every 180 days", StringComparison.Ordinal));
        var status = await h.Kms("us-east-1").GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = keyId });
        Assert.True(status.KeyRotationEnabled);
        Assert.Equal(180, status.RotationPeriodInDays);

        var (_, off) = await h.RunAsync(Operator, new DisableRotationRequest { KeyId = keyId, Region = "us-east-1" });
        Assert.Equal(ActionOutcome.Succeeded, off!.Outcome);
        Assert.False((await h.Kms("us-east-1").GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = keyId })).KeyRotationEnabled);
    }

    [Theory]
    [InlineData(89)]
    [InlineData(2561)]
    [InlineData(0)]
    public async Task ARotationPeriodOutside90To2560DaysIsInvalidAndNothingIsSent(int days)
    {
        await using var h = await StartAsync();

        var plan = await h.Operations.PlanAsync(Operator, new EnableRotationRequest { KeyId = "mrk-0123456789abcdef0123456789abcdef", Region = "us-east-1", RotationPeriodInDays = days }, default);

        Assert.Equal(PlanStatus.Invalid, plan.Status);
        Assert.Contains(plan.Problems, p => p.Contains("90 to 2560 days", StringComparison.Ordinal));
        Assert.Empty(h.Sent);
    }

    [Fact]
    public async Task RotationIsRefusedForAnHmacKey()
    {
        await using var h = await StartAsync();
        var keyId = (await h.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest { KeySpec = "HMAC_256", KeyUsage = "GENERATE_VERIFY_MAC" })).KeyMetadata.KeyId;
        h.Sent.Clear();

        var plan = await h.Operations.PlanAsync(Operator, new EnableRotationRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Equal(PlanStatus.PreconditionFailed, plan.Status);
        Assert.Contains(plan.Problems, p => p.Contains("Only symmetric encryption keys rotate", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task RotateNowShowsTheRemainingOnDemandRotationsAndRotates()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();

        var (plan, result) = await h.RunAsync(Operator, new RotateNowRequest { KeyId = keyId, Region = "us-east-1" });

        Assert.Contains(plan.Notes, n => n.Contains("25 of 25 on-demand rotations remain (24 after this one)", StringComparison.Ordinal));
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        var again = await h.Operations.PlanAsync(Operator, new RotateNowRequest { KeyId = keyId, Region = "us-east-1" }, default);
        Assert.Contains(again.Notes, n => n.Contains("24 of 25", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotateNowIsRefusedWhenNoOnDemandRotationRemains()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        for (var i = 0; i < 25; i++)
            await h.Kms("us-east-1").RotateKeyOnDemandAsync(new Sdk.RotateKeyOnDemandRequest { KeyId = keyId });
        h.Sent.Clear();

        var plan = await h.Operations.PlanAsync(Operator, new RotateNowRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Equal(PlanStatus.PreconditionFailed, plan.Status);
        Assert.Contains(plan.Notes, n => n.StartsWith("0 of 25", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task RotateNowIsRefusedWhenAnAutomaticRotationIsDueWithin20Minutes()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync();
        await h.Kms("us-east-1").EnableKeyRotationAsync(new Sdk.EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });
        var next = (await h.Kms("us-east-1").GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = keyId })).NextRotationDate!.Value;
        h.Clock.Advance(new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) - h.Clock.UtcNow - TimeSpan.FromMinutes(10));
        h.Sent.Clear();

        var plan = await h.Operations.PlanAsync(Operator, new RotateNowRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Equal(PlanStatus.PreconditionFailed, plan.Status);
        Assert.Contains(plan.Problems, p => p.Contains("within 20 minutes", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task ScheduleDeletionOfAPrimaryWithReplicasExplainsPendingReplicaDeletionAndCanScheduleTheReplicasRegionByRegion()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"]);

        var alone = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1" }, default);
        Assert.Contains(alone.Notes, n => n.Contains("PendingReplicaDeletion", StringComparison.Ordinal));
        Assert.Equal(["eu-west-1", "us-west-2"], alone.ReplicaRegions.Order());

        var (plan, result) = await h.RunAsync(Admin, new ScheduleDeletionRequest
        {
            KeyId = keyId, Region = "us-east-1", PendingWindowInDays = 7, AlsoScheduleReplicasIn = ["us-west-2", "eu-west-1"],
        });
        Assert.Equal(["us-west-2", "eu-west-1", "us-east-1"], plan.Calls.Select(c => c.Region));
        Assert.Equal(ActionOutcome.Succeeded, result!.Outcome);
        Assert.Equal("PendingDeletion", (await h.DescribeAsync("us-west-2", keyId)).KeyState.Value);
        Assert.Equal("PendingDeletion", (await h.DescribeAsync("eu-west-1", keyId)).KeyState.Value);
        Assert.Contains((await h.DescribeAsync("us-east-1", keyId)).KeyState.Value, new[] { "PendingReplicaDeletion", "PendingDeletion" });
    }

    [Fact]
    public async Task ScheduleDeletionOfASingleKeyNeedsItsIdTypedAndShowsTheDate()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        var plan = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1" }, default);

        var untyped = await h.Operations.ExecuteAsync(Admin, plan, null, default);
        var wrong = await h.Operations.ExecuteAsync(Admin, plan, "mrk-something-else", default);
        Assert.Equal(ActionOutcome.Refused, untyped.Outcome);
        Assert.Equal(ActionOutcome.Refused, wrong.Outcome);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);

        var done = await h.Operations.ExecuteAsync(Admin, plan, keyId, default);
        Assert.Equal(ActionOutcome.Succeeded, done.Outcome);
        Assert.Contains(plan.Notes, n => n.Contains("30 days", StringComparison.Ordinal));
        var key = await h.DescribeAsync("us-east-1", keyId);
        Assert.Equal("PendingDeletion", key.KeyState.Value);
        Assert.NotNull(key.DeletionDate);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task AWaitingPeriodOutside7To30DaysIsInvalid(int days)
    {
        await using var h = await StartAsync();

        var plan = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = "mrk-0123456789abcdef0123456789abcdef", Region = "us-east-1", PendingWindowInDays = days }, default);

        Assert.Contains(plan.Problems, p => p.Contains("7 to 30 days", StringComparison.Ordinal));
        Assert.Empty(h.Sent);
    }

    [Fact]
    public async Task SchedulingAKeyAlreadyPendingDeletionIsRefused()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();
        await h.Kms("us-east-1").ScheduleKeyDeletionAsync(new Sdk.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = 7 });
        h.Sent.Clear();

        var plan = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Contains(plan.Problems, p => p.Contains("already is PendingDeletion", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task SchedulingReplicasGoesOnInTheOtherRegionsWhenOneFailsButThePrimaryIsNotScheduledAndAskingAgainPlansOnlyWhatIsMissing()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateKeySetAsync(replicas: ["us-west-2", "eu-west-1"]);
        var plan = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1", AlsoScheduleReplicasIn = ["us-west-2", "eu-west-1"] }, default);
        h.Faults.Set("us-west-2", new RegionFault(Outage: true));

        var result = await h.Operations.ExecuteAsync(Admin, plan, keyId, default);
        h.Faults.Clear("us-west-2");

        Assert.Equal(ActionOutcome.PartiallySucceeded, result.Outcome);
        Assert.Equal(CallStatus.Failed, result.Calls.Single(c => c.Region == "us-west-2").Status);
        Assert.Equal(CallStatus.Succeeded, result.Calls.Single(c => c.Region == "eu-west-1").Status);
        // The primary is not scheduled behind a replica that stays live: it would wait in PendingReplicaDeletion.
        var primaryCall = result.Calls.Single(c => c.Region == "us-east-1");
        Assert.Equal(CallStatus.Skipped, primaryCall.Status);
        Assert.Contains("earlier call did not succeed", primaryCall.Message, StringComparison.Ordinal);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-west-2", keyId)).KeyState.Value);
        Assert.Equal("PendingDeletion", (await h.DescribeAsync("eu-west-1", keyId)).KeyState.Value);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
        var entry = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId, Outcome = "PartiallySucceeded" }, default));
        Assert.Contains(entry.Calls, c => c.Region == "us-west-2" && c.Status == "Failed");
        Assert.Contains(entry.Calls, c => c.Region == "us-east-1" && c.Status == "Skipped");

        // The same request again plans only what is missing: the failed replica, then the primary.
        var again = await h.Operations.PlanAsync(Admin, new ScheduleDeletionRequest { KeyId = keyId, Region = "us-east-1", AlsoScheduleReplicasIn = ["us-west-2", "eu-west-1"] }, default);
        Assert.Equal(PlanStatus.Ready, again.Status);
        Assert.Equal(["us-west-2", "us-east-1"], again.Calls.Select(c => c.Region));
        Assert.Contains(again.Notes, n => n.Contains("eu-west-1 already is pending deletion", StringComparison.Ordinal));
        var second = await h.Operations.ExecuteAsync(Admin, again, keyId, default);
        Assert.Equal(ActionOutcome.Succeeded, second.Outcome);
        Assert.Equal("PendingDeletion", (await h.DescribeAsync("us-west-2", keyId)).KeyState.Value);
        // Scheduled now; AWS holds it in PendingReplicaDeletion until its replicas' waiting periods end.
        Assert.Equal("PendingReplicaDeletion", (await h.DescribeAsync("us-east-1", keyId)).KeyState.Value);
    }

    [Fact]
    public async Task CancelDeletionLeavesTheKeyDisabledUnlessReEnableIsChosen()
    {
        await using var h = await StartAsync();
        var first = await h.CreateSingleRegionKeyAsync();
        var second = await h.CreateSingleRegionKeyAsync();
        foreach (var keyId in new[] { first, second })
            await h.Kms("us-east-1").ScheduleKeyDeletionAsync(new Sdk.ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = 7 });

        var (_, kept) = await h.RunAsync(Operator, new CancelDeletionRequest { KeyId = first, Region = "us-east-1" });
        var (plan, reEnabled) = await h.RunAsync(Operator, new CancelDeletionRequest { KeyId = second, Region = "us-east-1", ReEnable = true });

        Assert.Equal(ActionOutcome.Succeeded, kept!.Outcome);
        Assert.Equal("Disabled", (await h.DescribeAsync("us-east-1", first)).KeyState.Value);
        Assert.Equal(["CancelKeyDeletion", "EnableKey"], plan.Calls.Select(c => c.Operation));
        Assert.Equal(ActionOutcome.Succeeded, reEnabled!.Outcome);
        Assert.Equal("Enabled", (await h.DescribeAsync("us-east-1", second)).KeyState.Value);
    }

    [Fact]
    public async Task CancelDeletionOfAKeyNotPendingDeletionIsRefused()
    {
        await using var h = await StartAsync();
        var keyId = await h.CreateSingleRegionKeyAsync();

        var plan = await h.Operations.PlanAsync(Operator, new CancelDeletionRequest { KeyId = keyId, Region = "us-east-1" }, default);

        Assert.Contains(plan.Problems, p => p.Contains("not pending deletion", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
    }
}
