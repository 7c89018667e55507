using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Rotation;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;

namespace KmsDashboard.Core.Tests.Rotation;

/// <summary>On-demand rotation against the sandbox: history, round trips in every Region, old ciphertext, the 25 limit, the 20-minute window.</summary>
public sealed class OnDemandRotationServiceTests(RotationHarnessFixture fixture) : IClassFixture<RotationHarnessFixture>
{
    [Fact]
    public async Task RotatesThenShowsTheNewEntryAndEveryRegionRoundTripsWithTheNewMaterialAndOldCiphertextStillDecrypts()
    {
        var h = fixture.Harness;
        var keyId = await h.CreateKeySetAsync("us-east-1", ["us-west-2", "eu-west-1"]);
        await fixture.RefreshAsync();
        var before = await fixture.OnDemand.ReadAsync(keyId, default);
        Assert.Equal(["us-east-1", "eu-west-1", "us-west-2"], before.Regions);
        Assert.Equal((0, 25), (before.OnDemandUsed, before.OnDemandLeft));
        Assert.False(string.IsNullOrEmpty(before.CurrentKeyMaterialId));

        var plan = await fixture.OnDemand.PlanAsync(Operator, keyId, default);
        Assert.True(plan.CanExecute);
        Assert.Equal("RotateKeyOnDemand", Assert.Single(plan.Action.Calls).Operation);
        var result = await fixture.OnDemand.ExecuteAsync(Operator, plan, null, default);

        Assert.True(result.Verified, result.Summary);
        Assert.Equal(ActionOutcome.Succeeded, result.Rotation.Outcome);
        Assert.Equal(before.CurrentKeyMaterialId, result.OldKeyMaterialId);
        Assert.NotEqual(result.OldKeyMaterialId, result.NewKeyMaterialId);
        Assert.True(result.NewEntry!.OnDemand);
        Assert.Equal(result.NewKeyMaterialId, result.NewEntry.KeyMaterialId);
        Assert.Equal(result.NewEntry, result.After!.History.Rotations[0]);
        Assert.Equal(1, result.After.OnDemandUsed);
        Assert.Equal(["us-east-1", "eu-west-1", "us-west-2"], result.Regions.Select(r => r.Region));
        Assert.All(result.Regions, r =>
        {
            Assert.Equal(result.NewKeyMaterialId, r.CurrentKeyMaterialId);
            Assert.Equal(result.NewKeyMaterialId, r.NewRoundTripMaterialId);
            Assert.Equal(result.OldKeyMaterialId, r.OldCiphertextMaterialId);
            Assert.True(r.Verified);
        });
        // Encrypt before and after, Decrypt twice, in each Region; the rotation itself once, on the primary.
        Assert.Equal(6, h.Sent.Count(c => c.Operation == "Encrypt"));
        Assert.Equal(6, h.Sent.Count(c => c.Operation == "Decrypt"));
        Assert.Equal("us-east-1", Assert.Single(h.Sent, c => c.Operation == "RotateKeyOnDemand").Region);
        var entry = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId, Action = nameof(KeyAction.RotateNow) }, default));
        Assert.Equal(("otto", "Succeeded"), (entry.User, entry.Outcome));
    }

    [Fact]
    public async Task AfterTwentyFiveOnDemandRotationsThePlanIsRefusedSayingSo()
    {
        var h = fixture.Harness;
        var keyId = await h.CreateKeySetAsync("us-east-1");
        for (var i = 0; i < 25; i++)
            await h.Kms("us-east-1").RotateKeyOnDemandAsync(new Sdk.RotateKeyOnDemandRequest { KeyId = keyId });
        await fixture.RefreshAsync();
        h.Sent.Clear();

        var plan = await fixture.OnDemand.PlanAsync(Operator, keyId, default);

        Assert.Equal((25, 0), (plan.Status.OnDemandUsed, plan.Status.OnDemandLeft));
        Assert.False(plan.CanExecute);
        Assert.Equal(PlanStatus.PreconditionFailed, plan.Action.Status);
        Assert.Contains($"{keyId} has used all 25 on-demand rotations.", plan.Action.Problems);
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task WithinTwentyMinutesOfAScheduledRotationTheWindowIsShownAndThePlanRefused()
    {
        var h = fixture.Harness;
        var keyId = await h.CreateKeySetAsync("eu-west-1", ["eu-central-1"]);
        await h.Kms("eu-west-1").EnableKeyRotationAsync(new Sdk.EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });
        var next = (await h.Kms("eu-west-1").GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = keyId })).NextRotationDate!.Value;
        h.Clock.Advance(new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) - h.Clock.UtcNow - TimeSpan.FromMinutes(10));
        await fixture.RefreshAsync();
        h.Sent.Clear();

        var plan = await fixture.OnDemand.PlanAsync(Operator, keyId, default);

        Assert.True(plan.Status.InConflictWindow);
        Assert.Equal(plan.Status.NextRotationDate - TimeSpan.FromMinutes(20), plan.Status.ConflictWindowStart);
        Assert.False(plan.CanExecute);
        Assert.Contains(plan.Action.Problems, p => p.Contains("within 20 minutes", StringComparison.Ordinal));
        Assert.Empty(h.Writes);
        var refused = await fixture.OnDemand.ExecuteAsync(Operator, plan, null, default);
        Assert.Equal(ActionOutcome.Refused, refused.Rotation.Outcome);
        Assert.Empty(refused.Regions);
        Assert.Empty(h.Writes);
    }

    [Fact]
    public async Task AnHmacKeyCannotRotateAndAViewerIsRefused()
    {
        var h = fixture.Harness;
        var hmac = (await h.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest { MultiRegion = true, KeySpec = "HMAC_384", KeyUsage = "GENERATE_VERIFY_MAC" })).KeyMetadata.KeyId;
        var keyId = await h.CreateKeySetAsync("us-east-1");
        await fixture.RefreshAsync();

        var status = await fixture.OnDemand.ReadAsync(hmac, default);
        var viewer = await fixture.OnDemand.PlanAsync(Viewer, keyId, default);

        Assert.StartsWith("HMAC key (HMAC_384)", status.Unavailable, StringComparison.Ordinal);
        Assert.Equal(PlanStatus.Forbidden, viewer.Action.Status);
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.OnDemand.ReadAsync("alias/nope", default));
    }
}
