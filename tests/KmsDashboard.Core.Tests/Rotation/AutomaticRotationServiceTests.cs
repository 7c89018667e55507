using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Rotation;
using KmsDashboard.Core.Tests.Actions;
using KmsDashboard.Sandbox.Hosting;
using static KmsDashboard.Core.Tests.Actions.ActionsHarness;

namespace KmsDashboard.Core.Tests.Rotation;

/// <summary>Bulk automatic rotation against the sandbox: plan per key set, refusals and why, typed confirmation, journal, a failing Region.</summary>
public sealed class AutomaticRotationServiceTests(RotationHarnessFixture fixture) : IClassFixture<RotationHarnessFixture>
{
    private async Task<(string East, string West)> TwoKeySetsAsync(string tag)
    {
        var h = fixture.Harness;
        var east = await h.CreateKeySetAsync("us-east-1", ["us-west-2", "eu-west-1"], tags: new() { ["Suite"] = tag });
        var west = await h.CreateKeySetAsync("eu-west-1", ["eu-central-1"], tags: new() { ["Suite"] = tag });
        await fixture.RefreshAsync();
        h.Sent.Clear();
        return (east, west);
    }

    /// <summary>What was sent, less the inventory's own background GetKeyLastUsage fill after a refresh (not the wizard's doing).</summary>
    private static IEnumerable<SandboxCall> WizardCalls(ActionsHarness h) => h.Sent.Where(c => c.Operation != "GetKeyLastUsage");

    private static async Task<(bool Enabled, int? Period)> RotationAsync(ActionsHarness h, string region, string keyId)
    {
        var status = await h.Kms(region).GetKeyRotationStatusAsync(new Sdk.GetKeyRotationStatusRequest { KeyId = keyId });
        return (status.KeyRotationEnabled ?? false, status.RotationPeriodInDays);
    }

    [Fact]
    public async Task TurnsOnRotationForEveryChosenKeySetShowingTheNextDateAndTheCostAndJournalsIt()
    {
        var h = fixture.Harness;
        var (east, west) = await TwoKeySetsAsync("bulk-happy");

        var plan = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [east, west], RotationPeriod = "180" }, default);

        Assert.Equal(PlanStatus.Ready, plan.Status);
        Assert.Equal(180, plan.PeriodInDays);
        var eastChange = plan.Changes.Single(c => c.KeyId == east);
        Assert.Equal(RotationChangeKind.TurnOn, eastChange.Kind);
        Assert.Equal(["us-east-1", "eu-west-1", "us-west-2"], eastChange.Regions);
        Assert.Contains("its 2 replicas follow", eastChange.Summary, StringComparison.Ordinal);
        Assert.Equal("EnableKeyRotation", Assert.Single(eastChange.Calls).Operation);
        Assert.Equal("us-east-1", eastChange.Calls[0].Region);
        Assert.Equal(h.Clock.UtcNow.AddDays(180).Date, eastChange.NextRotationDate!.Value.Date);
        Assert.Equal(0, eastChange.RotationsSoFar);
        Assert.Equal(3, eastChange.BilledKeys);
        Assert.Equal(6.00m, eastChange.Cost!.MonthlyIncreaseUsd); // 2 billed rotations × $1 × 3 keys
        Assert.Contains("+$3.00 USD a month from the next rotation", eastChange.Cost.Text, StringComparison.Ordinal);
        Assert.Equal(10.00m, plan.MonthlyIncreaseUsd); // + 2 × $1 × 2 keys for the eu-west-1 set
        Assert.Equal("rotate 2", plan.ConfirmationText);
        Assert.Empty(h.Writes);

        var result = await fixture.Automatic.ExecuteAsync(Operator, plan, "rotate 2", default);

        Assert.Equal(ActionOutcome.Succeeded, result.Outcome);
        Assert.All(result.KeySets, k => Assert.False(string.IsNullOrEmpty(k.RequestId)));
        Assert.Equal((true, 180), await RotationAsync(h, "us-east-1", east));
        Assert.Equal((true, 180), await RotationAsync(h, "us-west-2", east)); // the replica follows the primary
        Assert.Equal((true, 180), await RotationAsync(h, "eu-central-1", west));
        var entries = await h.Journal.QueryAsync(new JournalQuery { KeyId = east }, default);
        var bulk = Assert.Single(entries, e => e.Action == AutomaticRotationService.JournalAction);
        Assert.Equal(("otto", "Succeeded"), (bulk.User, bulk.Outcome));
        Assert.Equal(2, bulk.Calls.Count(c => c.Operation == "EnableKeyRotation" && c.RequestId is { Length: > 0 }));
        // The bulk entry was written before either key set's own entry, which KeyOperations writes after its call.
        var single = Assert.Single(entries, e => e.Action == nameof(KeyAction.EnableRotation));
        Assert.True(bulk.Id < single.Id);
    }

    [Fact]
    public async Task TheJournalEntryExistsAsStartedBeforeTheFirstCallIsAnswered()
    {
        var h = fixture.Harness;
        var keyId = await h.CreateKeySetAsync("us-west-2", tags: new() { ["Suite"] = "bulk-started" });
        await fixture.RefreshAsync();
        var plan = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [keyId], RotationPeriod = "365" }, default);
        h.Faults.Set("us-west-2", new RegionFault(Latency: TimeSpan.FromSeconds(5)));
        try
        {
            var running = fixture.Automatic.ExecuteAsync(Operator, plan, "rotate 1", default);
            JournalEntry? started = null;
            for (var i = 0; i < 60 && started is null; i++)
            {
                await Task.Delay(50);
                started = (await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId, Action = AutomaticRotationService.JournalAction }, default)).SingleOrDefault();
            }
            Assert.NotNull(started);
            Assert.Equal(AutomaticRotationService.Started, started.Outcome);
            Assert.Empty(started.Calls);
            h.Faults.Clear("us-west-2"); // the re-reads after the call need no delay
            Assert.Equal(ActionOutcome.Succeeded, (await running).Outcome);
        }
        finally
        {
            h.Faults.Clear("us-west-2");
        }
        var done = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = keyId, Action = AutomaticRotationService.JournalAction }, default));
        Assert.Equal("Succeeded", done.Outcome);
    }

    [Fact]
    public async Task AFailingRegionFailsOnlyItsKeySetAndTheOthersAreDone()
    {
        var h = fixture.Harness;
        var (east, west) = await TwoKeySetsAsync("bulk-failing");
        var plan = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [west, east], RotationPeriod = "400" }, default);
        Assert.Equal(PlanStatus.Ready, plan.Status);

        h.Faults.Set("eu-west-1", new RegionFault(Outage: true));
        AutomaticRotationResult result;
        try
        {
            result = await fixture.Automatic.ExecuteAsync(Operator, plan, "rotate 2", default);
        }
        finally
        {
            h.Faults.Clear("eu-west-1");
        }

        Assert.Equal(ActionOutcome.PartiallySucceeded, result.Outcome);
        Assert.Equal(ActionOutcome.Succeeded, result.KeySets.Single(k => k.KeyId == east).Outcome);
        var failed = result.KeySets.Single(k => k.KeyId == west);
        Assert.Equal(ActionOutcome.Failed, failed.Outcome);
        Assert.Equal("eu-west-1", failed.Region);
        Assert.Contains("eu-west-1", result.Summary, StringComparison.Ordinal);
        Assert.Equal((true, 400), await RotationAsync(h, "us-east-1", east));
        Assert.Equal((false, null), await RotationAsync(h, "eu-west-1", west));
        var bulk = Assert.Single(await h.Journal.QueryAsync(new JournalQuery { KeyId = west, Action = AutomaticRotationService.JournalAction }, default));
        Assert.Equal("PartiallySucceeded", bulk.Outcome);
        Assert.Contains(bulk.Calls, c => c.Region == "eu-west-1" && c.Status == "Failed");
        Assert.Contains(bulk.Calls, c => c.Region == "us-east-1" && c.Status == "Succeeded" && c.RequestId is { Length: > 0 });
    }

    [Fact]
    public async Task HmacAsymmetricAndImportedKeysAreNotAvailableAndSayWhyWhileTheOthersArePlanned()
    {
        var h = fixture.Harness;
        var kms = h.Kms("us-east-1");
        var symmetric = await h.CreateKeySetAsync("us-east-1");
        var hmac = (await kms.CreateKeyAsync(new Sdk.CreateKeyRequest { MultiRegion = true, KeySpec = "HMAC_256", KeyUsage = "GENERATE_VERIFY_MAC" })).KeyMetadata.KeyId;
        var rsa = (await kms.CreateKeyAsync(new Sdk.CreateKeyRequest { MultiRegion = true, KeySpec = "RSA_2048", KeyUsage = "SIGN_VERIFY" })).KeyMetadata.KeyId;
        var imported = (await kms.CreateKeyAsync(new Sdk.CreateKeyRequest { Origin = "EXTERNAL" })).KeyMetadata.KeyId;
        await fixture.RefreshAsync();
        h.Sent.Clear();

        var plan = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [symmetric, hmac, rsa, imported], RotationPeriod = "365" }, default);

        Assert.Equal(PlanStatus.Ready, plan.Status);
        Assert.Equal(RotationChangeKind.TurnOn, plan.Changes.Single(c => c.KeyId == symmetric).Kind);
        var byKey = plan.Changes.ToDictionary(c => c.KeyId);
        Assert.All(new[] { hmac, rsa, imported }, k => Assert.Equal(RotationChangeKind.NotAvailable, byKey[k].Kind));
        Assert.All(new[] { hmac, rsa, imported }, k => Assert.Empty(byKey[k].Calls));
        Assert.StartsWith("HMAC key (HMAC_256)", byKey[hmac].Summary, StringComparison.Ordinal);
        Assert.StartsWith("Asymmetric key (RSA_2048)", byKey[rsa].Summary, StringComparison.Ordinal);
        Assert.StartsWith("Imported key material (Origin EXTERNAL)", byKey[imported].Summary, StringComparison.Ordinal);
        Assert.Equal("rotate 1", plan.ConfirmationText);
        // Spec and origin never change, so the snapshot decides: the unavailable keys are not even read.
        Assert.DoesNotContain(WizardCalls(h), c => c.Resources.Any(r => r.EndsWith(hmac, StringComparison.Ordinal) || r.EndsWith(rsa, StringComparison.Ordinal) || r.EndsWith(imported, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("89", "must be 90 to 2560 days; 89 was given")]
    [InlineData("2561", "must be 90 to 2560 days; 2561 was given")]
    [InlineData("99999999999", "must be 90 to 2560 days")]
    [InlineData("abc", "'abc' is not a whole number of days")]
    [InlineData("365.5", "'365.5' is not a whole number of days")]
    [InlineData("-100", "'-100' is not a whole number of days")]
    [InlineData(" ", "Give a rotation period")]
    public async Task AnOutOfRangeOrNonNumericPeriodIsRefusedWithAMessageAndNothingIsSent(string period, string message)
    {
        var h = fixture.Harness;
        var keyId = await h.CreateKeySetAsync("us-east-1");
        await fixture.RefreshAsync();
        h.Sent.Clear();

        var plan = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [keyId], RotationPeriod = period }, default);

        Assert.Equal(PlanStatus.Invalid, plan.Status);
        Assert.Contains(plan.Problems, p => p.Contains(message, StringComparison.Ordinal));
        Assert.Null(plan.PeriodInDays);
        Assert.Empty(plan.Changes);
        Assert.Empty(WizardCalls(h));
        Assert.False(plan.CanExecute);
    }

    [Fact]
    public async Task AWrongTypedConfirmationAViewerAndASecondExecutionAreRefusedWithNothingSent()
    {
        var h = fixture.Harness;
        var keyId = await h.CreateKeySetAsync("us-east-1");
        await fixture.RefreshAsync();

        var viewerPlan = await fixture.Automatic.PlanAsync(Viewer, new AutomaticRotationRequest { KeyIds = [keyId], RotationPeriod = "365" }, default);
        Assert.Equal(PlanStatus.Forbidden, viewerPlan.Status);
        Assert.Contains("needs the role Operator or Admin", Assert.Single(viewerPlan.Problems), StringComparison.Ordinal);

        var plan = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [keyId], RotationPeriod = "365" }, default);
        h.Sent.Clear();
        var wrong = await fixture.Automatic.ExecuteAsync(Operator, plan, "rotate 2", default);
        var otherUser = await fixture.Automatic.ExecuteAsync(Admin, plan, "rotate 1", default);
        Assert.Equal(ActionOutcome.Refused, wrong.Outcome);
        Assert.Contains("Type \"rotate 1\"", wrong.Summary, StringComparison.Ordinal);
        Assert.Equal(ActionOutcome.Refused, otherUser.Outcome);
        Assert.Empty(h.Writes);

        Assert.Equal(ActionOutcome.Succeeded, (await fixture.Automatic.ExecuteAsync(Operator, plan, "Rotate 1", default)).Outcome);
        var again = await fixture.Automatic.ExecuteAsync(Operator, plan, "rotate 1", default);
        Assert.Equal(ActionOutcome.Refused, again.Outcome);
        Assert.Single(h.Writes);
    }

    [Fact]
    public async Task AKeySetAlreadyRotatingWithThePeriodIsNoChangeAndAnotherPeriodCountsFromItsLastRotation()
    {
        var h = fixture.Harness;
        var keyId = await h.CreateKeySetAsync("us-east-1");
        await h.Kms("us-east-1").EnableKeyRotationAsync(new Sdk.EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });
        await h.Kms("us-east-1").RotateKeyOnDemandAsync(new Sdk.RotateKeyOnDemandRequest { KeyId = keyId });
        var rotatedAt = h.Clock.UtcNow;
        await fixture.RefreshAsync();

        var same = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [keyId], RotationPeriod = "90" }, default);
        var longer = await fixture.Automatic.PlanAsync(Operator, new AutomaticRotationRequest { KeyIds = [keyId], RotationPeriod = "120" }, default);

        Assert.Equal(PlanStatus.NothingToDo, same.Status);
        Assert.Equal(RotationChangeKind.NoChange, Assert.Single(same.Changes).Kind);
        var change = Assert.Single(longer.Changes);
        Assert.Equal(RotationChangeKind.ChangePeriod, change.Kind);
        Assert.Equal((true, 90), (change.WasEnabled, change.PreviousPeriodInDays));
        Assert.Equal(rotatedAt.AddDays(120).Date, change.NextRotationDate!.Value.Date);
        Assert.Equal(1, change.RotationsSoFar);
        Assert.Equal(1.00m, change.Cost!.MonthlyIncreaseUsd); // one billed rotation left × $1 × 1 key
    }

    [Fact]
    public async Task TheFilterSelectsRotationOffLongerPeriodsTagsAndRegions()
    {
        var h = fixture.Harness;
        var off = await h.CreateKeySetAsync("us-east-1", ["eu-central-1"], tags: new() { ["Suite"] = "filter", ["Team"] = "a" });
        var yearly = await h.CreateKeySetAsync("us-east-1", tags: new() { ["Suite"] = "filter", ["Team"] = "b" });
        var quarterly = await h.CreateKeySetAsync("us-west-2", tags: new() { ["Suite"] = "filter", ["Team"] = "b" });
        await h.Kms("us-east-1").EnableKeyRotationAsync(new Sdk.EnableKeyRotationRequest { KeyId = yearly, RotationPeriodInDays = 730 });
        await h.Kms("us-west-2").EnableKeyRotationAsync(new Sdk.EnableKeyRotationRequest { KeyId = quarterly, RotationPeriodInDays = 90 });
        await fixture.RefreshAsync();
        string[] Ids(RotationCandidateFilter f) => [.. fixture.Automatic.Candidates(f with { Tag = f.Tag.Length > 0 ? f.Tag : "Suite=filter" }).Select(c => c.KeyId).Order()];

        Assert.Equal(new[] { off, yearly, quarterly }.Order(), Ids(new()));
        Assert.Equal([off], Ids(new() { RotationOff = true }));
        Assert.Equal([yearly], Ids(new() { PeriodLongerThanDays = 365 }));
        Assert.Equal(new[] { off, yearly }.Order(), Ids(new() { RotationOff = true, PeriodLongerThanDays = 365 }));
        Assert.Equal(new[] { yearly, quarterly }.Order(), Ids(new() { Tag = "team=B" }).Where(id => id != off));
        Assert.Equal([off], Ids(new() { Region = "eu-central-1" }));
    }

    [Fact]
    public void TheCostCountsTheRotationsTheKeyAlreadyHad()
    {
        var next = new DateTimeOffset(2027, 1, 10, 0, 0, 0, TimeSpan.Zero);

        var fresh = RotationCostEffect.Estimate(0, 4, next, 365);
        var once = RotationCostEffect.Estimate(1, 4, next, 365);
        var twice = RotationCostEffect.Estimate(2, 4, next, 365);

        Assert.Equal(8.00m, fresh.MonthlyIncreaseUsd);
        Assert.Equal("+$4.00 USD a month from the next rotation (2027-01-10) ($1.00 USD × 4 keys), +$8.00 USD a month in all from the one after (2028-01-10); no rotation yet, later rotations are free.", fresh.Text);
        Assert.Equal(4.00m, once.MonthlyIncreaseUsd);
        Assert.DoesNotContain("one after", once.Text, StringComparison.Ordinal);
        Assert.Equal(0m, twice.MonthlyIncreaseUsd);
        Assert.StartsWith("None: it has had 2 rotations", twice.Text, StringComparison.Ordinal);
    }
}
