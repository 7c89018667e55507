using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Aws.CloudWatch;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Journal;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Core.Tests.Drills;

/// <summary>Failover drills against the sandbox: the matrix, a Region in outage, primary down, roles, and one world.</summary>
public sealed class FailoverDrillServiceTests : IAsyncLifetime
{
    private DrillHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DrillHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task EveryRegionGeneratesAndDecryptsEveryOtherRegionsCiphertext()
    {
        var result = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: false, CancellationToken.None);

        Assert.Equal(["us-east-1", "eu-central-1", "eu-west-1", "us-west-2"], result.Regions.Select(r => r.Region)); // primary first
        Assert.Equal(16, result.Cells.Count);
        Assert.All(result.Cells, c => Assert.Equal(DrillCellStatus.Ok, c.Status));
        Assert.All(result.Cells, c => Assert.True(c.Call!.LatencyMs > 0));
        Assert.True(result.EveryRegionServesAlone);
        Assert.Equal(4, _harness.Calls("GenerateDataKey").Count);
        Assert.Equal(12, _harness.Calls("Decrypt").Count);
        Assert.Equal(DrillHarness.Regions.Order(), _harness.Calls("GenerateDataKey").Select(c => c.Region).Order());
    }

    [Fact]
    public async Task TheAliasIsUsedWhereItExistsAndTheKeyIdWhereTheSetHasNone()
    {
        var result = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: false, CancellationToken.None);

        Assert.All(result.Regions.Where(r => r.Region != "eu-central-1"), r => Assert.Equal("alias/orders", r.KeyName));
        var frankfurt = result.Regions.Single(r => r.Region == "eu-central-1");
        Assert.False(frankfurt.NamedByAlias);
        Assert.Equal(_harness.KeyId, frankfurt.KeyName);
        Assert.Contains("No alias in eu-central-1", frankfurt.Note);
    }

    [Fact]
    public async Task ARegionInOutageFailsExactlyItsRowAndColumn()
    {
        _harness.Faults.Set("eu-west-1", new RegionFault(Outage: true));

        var result = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: false, CancellationToken.None);

        foreach (var cell in result.Cells)
        {
            var involved = cell.Source == "eu-west-1" || cell.Target == "eu-west-1";
            Assert.True(involved == cell.IsFailure, $"{cell.Source} -> {cell.Target}: {cell.Status} {cell.Message}");
        }
        Assert.Equal(DrillCellStatus.Failed, result.Cell("eu-west-1", "eu-west-1")!.Status);
        Assert.Equal(DrillCellStatus.NotAttempted, result.Cell("eu-west-1", "us-east-1")!.Status);
        Assert.Contains("ServiceUnavailableException", result.Cell("us-east-1", "eu-west-1")!.Message);
        Assert.False(result.EveryRegionServesAlone);
        Assert.Equal(["eu-west-1"], result.Regions.Where(r => !r.ServesAlone).Select(r => r.Region));
        // Its GenerateDataKey, the three Decrypts of its ciphertext never made, the three Decrypts sent to it.
        Assert.StartsWith("7 of 16 checks failed; cannot serve on its own: eu-west-1.", result.Summary);
    }

    [Fact]
    public async Task PrimaryDownSkipsThePrimarysRegionWithoutACallThere()
    {
        var result = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: true, CancellationToken.None);

        Assert.True(result.Regions.Single(r => r.Region == "us-east-1").Skipped);
        Assert.All(result.Cells.Where(c => c.Source == "us-east-1" || c.Target == "us-east-1"), c => Assert.Equal(DrillCellStatus.Skipped, c.Status));
        Assert.All(result.Cells.Where(c => c.Source != "us-east-1" && c.Target != "us-east-1"), c => Assert.Equal(DrillCellStatus.Ok, c.Status));
        Assert.True(result.EveryRegionServesAlone);
        Assert.DoesNotContain(_harness.DrillCalls, c => c.Region == "us-east-1");
        Assert.Equal(3 + 6, _harness.DrillCalls.Count); // three GenerateDataKey, each decrypted in the two others
        Assert.Equal("Enabled", (await _harness.Kms("us-east-1").DescribeKeyAsync(new Amazon.KeyManagementService.Model.DescribeKeyRequest { KeyId = _harness.KeyId })).KeyMetadata.KeyState.Value);
    }

    [Fact]
    public async Task AViewerCannotStartADrillButReadsTheOperatorsResult()
    {
        await Assert.ThrowsAsync<DrillAccessDeniedException>(() =>
            _harness.Drills.RunAsync(DrillHarness.Viewer, _harness.KeyId, primaryDown: false, CancellationToken.None));
        Assert.Empty(_harness.DrillCalls);

        var run = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: false, CancellationToken.None);
        var read = await _harness.Drills.RecentAsync(DrillHarness.Viewer, _harness.KeyId, 10, CancellationToken.None);

        var stored = Assert.Single(read);
        Assert.Equal(run.Id, stored.Id);
        Assert.Equal(run.Cells.Count, stored.Cells.Count);
        Assert.Equal("otto", stored.User);
    }

    [Theory]
    [InlineData("alias/orders", "is an alias")]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab", "single-Region key")]
    [InlineData("mrk-00000000000000000000000000000000", "not a key set of the inventory")]
    public async Task AnInvalidOrUnknownKeyIsRefusedBeforeAnyCall(string keyId, string reason)
    {
        var refused = await Assert.ThrowsAsync<FailoverDrillException>(() =>
            _harness.Drills.RunAsync(DrillHarness.Operator, keyId, primaryDown: false, CancellationToken.None));

        Assert.Contains(reason, refused.Message);
        Assert.Empty(_harness.DrillCalls);
    }

    [Fact]
    public async Task AnHmacKeySetIsRefusedBeforeAnyCallAndLeftOutOfTheDrillableSets()
    {
        var hmac = (await _harness.Kms("us-east-1").CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest
        {
            MultiRegion = true, KeySpec = Amazon.KeyManagementService.KeySpec.HMAC_256, KeyUsage = Amazon.KeyManagementService.KeyUsageType.GENERATE_VERIFY_MAC,
        })).KeyMetadata.KeyId;
        await _harness.Kms("us-east-1").ReplicateKeyAsync(new Amazon.KeyManagementService.Model.ReplicateKeyRequest { KeyId = hmac, ReplicaRegion = "eu-west-1" });
        await _harness.Inventory.RefreshAsync(CancellationToken.None);
        _harness.Sent.Clear();

        var refused = await Assert.ThrowsAsync<FailoverDrillException>(() =>
            _harness.Drills.RunAsync(DrillHarness.Operator, hmac, primaryDown: false, CancellationToken.None));

        Assert.Contains("HMAC_256 GENERATE_VERIFY_MAC", refused.Message);
        Assert.Empty(_harness.DrillCalls);
        Assert.Equal([_harness.KeyId], _harness.Drills.DrillableKeySets().Select(s => s.KeyId));
    }

    [Fact]
    public async Task ADrillIsJournaledAsAReadWithEveryCallAndFeedsTheDrillHistory()
    {
        var result = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: false, CancellationToken.None);

        var entry = Assert.Single(await _harness.Journal.QueryAsync(new JournalQuery { Action = FailoverDrillService.JournalAction }, CancellationToken.None));
        Assert.Equal(result.JournalId, entry.Id);
        Assert.Equal("Succeeded", entry.Outcome);
        Assert.Equal(_harness.KeyId, entry.KeyId);
        Assert.Contains("\"readOnly\":true", entry.Inputs);
        Assert.Equal(16, entry.Calls.Count);
        Assert.All(entry.Calls, c => Assert.False(string.IsNullOrEmpty(c.RequestId)));
        var history = await _harness.Get<IFailoverDrillHistory>().LastDrillsAsync(CancellationToken.None);
        Assert.Equal(result.CompletedAt.ToUnixTimeSeconds(), history[_harness.KeyId].ToUnixTimeSeconds());
    }

    [Fact]
    public async Task TheDrillsCallsAppearInTheSandboxsCloudTrailWithTheDrillContext()
    {
        var result = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: false, CancellationToken.None);

        var trail = _harness.Get<CloudTrailClients>().For("eu-central-1");
        var page = await trail.LookupEventsAsync(new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.EventName, AttributeValue = "Decrypt" }],
            StartTime = result.StartedAt.UtcDateTime.AddMinutes(-1), EndTime = result.CompletedAt.UtcDateTime.AddMinutes(1),
        });

        var drillEvents = page.Events.Where(e => e.CloudTrailEvent!.Contains(result.Id.ToString(), StringComparison.Ordinal)).ToList();
        Assert.Equal(3, drillEvents.Count);
        Assert.All(drillEvents, e => Assert.Contains("failover-drill", e.CloudTrailEvent));
    }

    [Fact]
    public async Task TheDrillsCallsAreCountedInTheSandboxsCloudWatchMetrics()
    {
        var result = await _harness.Drills.RunAsync(DrillHarness.Operator, _harness.KeyId, primaryDown: false, CancellationToken.None);

        var arn = _harness.Inventory.Current.Find(new("us-west-2", _harness.KeyId))!.Arn;
        var metrics = new CloudWatchClients(_harness.Get<AwsClients>()).For("us-west-2");
        var data = await metrics.GetMetricDataAsync(new GetMetricDataRequest
        {
            StartTime = result.StartedAt.UtcDateTime.AddMinutes(-2), EndTime = result.CompletedAt.UtcDateTime.AddMinutes(2),
            MetricDataQueries = [.. new[] { "GenerateDataKey", "Decrypt" }.Select(operation => new MetricDataQuery
            {
                Id = operation.ToLowerInvariant(),
                MetricStat = new MetricStat
                {
                    Period = 60, Stat = "Sum",
                    Metric = new Metric
                    {
                        Namespace = "AWS/KMS", MetricName = "SuccessfulRequest",
                        Dimensions = [new Dimension { Name = "KeyArn", Value = arn }, new Dimension { Name = "Operation", Value = operation }],
                    },
                },
            })],
        });

        Assert.Equal(1, data.MetricDataResults.Single(r => r.Id == "generatedatakey").Values.Sum());
        Assert.Equal(3, data.MetricDataResults.Single(r => r.Id == "decrypt").Values.Sum()); // ciphertext of the three other Regions
    }
}
