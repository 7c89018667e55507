using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Core.Tests.Dependents;

/// <summary>The dependents model over the demo account: the replicated myapp pair, the half-migrated bucket, the alarms.</summary>
public sealed class DependentsDemoAccountTests : IAsyncLifetime
{
    private DependentsHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = await DependentsHarness.StartAsync(new() { ["Dependents:MaxCloudTrailPagesPerRegion"] = "4" }, seedDemo: true);
        await _harness.Inventory.RefreshAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task PaymentsProdIsNamedByTheMyappPairAndItsReplicationRuleAndUsedThroughS3()
    {
        var payments = _harness.Inventory.Current.KeySets.Single(s => s.Representative.Aliases.Contains("alias/payments-prod"));

        var result = await _harness.Dependents.ReadAsync(payments.KeyId, TimeSpan.FromDays(1), refreshBuckets: false, CancellationToken.None);

        Assert.Equal([("myapp-primary", KeyNameKind.AliasName, "us-east-1"), ("myapp-replica", KeyNameKind.KeyArn, "ap-southeast-1")],
            result.Buckets.Select(b => (b.Bucket, b.NamedBy, b.KeyRegion)).OrderBy(b => b.Bucket, StringComparer.Ordinal));
        var rule = Assert.Single(result.ReplicationRules);
        Assert.Equal(("myapp-primary", "myapp-replica", "ap-southeast-1"), (rule.SourceBucket, rule.DestinationBucket, rule.KeyRegion));
        Assert.Contains(result.Callers, c => c.Region == "us-east-1" && c.Principal.EndsWith("role/PaymentsLambdaRole", StringComparison.Ordinal) && c.Via == "s3.amazonaws.com");
        Assert.Equal(2, result.Grants.Count());
        Assert.Null(result.S3Error);
    }

    [Fact]
    public async Task TheHalfMigratedBucketIsCountedPerKeyAndKeysPendingDeletionStillNamedRaiseAlarms()
    {
        var state = await _harness.Scanner.RunAsync("orders-exports", "eu-west-1", resume: false, null, CancellationToken.None);
        await _harness.Buckets.GetAsync(refresh: false, CancellationToken.None);
        var alarms = _harness.Dependents.PendingDeletionInUse(_harness.Inventory.Current, TimeSpan.FromDays(30));

        Assert.Equal(330, state.ObjectsScanned);
        Assert.Equal([30, 120, 180], state.CountsByKey.Values.Order().Select(v => (int)v));
        Assert.Equal(30, state.CountsByKey[ObjectScanState.SseS3]);
        Assert.Equal(["alias/legacy-billing", "alias/old-reports"],
            alarms.Select(a => _harness.Inventory.Current.Find(a.Key)!.Aliases[0]).Order(StringComparer.Ordinal));
    }
}
