using KmsDashboard.Core.Dependents;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.S3;
using Microsoft.Extensions.DependencyInjection;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Dependents;

/// <summary>Buckets and replication rules that name a key by any of its names, read over the wire from the sandbox's S3.</summary>
public sealed class DependentsBucketTests : IAsyncLifetime
{
    private DependentsHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DependentsHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private S3SandboxState S3 => _harness.Server.Services.GetRequiredService<S3SandboxState>();

    [Fact]
    public async Task BucketsNamingTheKeyByIdArnAliasOrAliasArnAndReplicationRulesAreFound()
    {
        var keyId = await _harness.CreateKeySetAsync("us-east-1", ["ap-southeast-1"], "alias/myapp");
        var other = (await _harness.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest())).KeyMetadata;
        var east = _harness.Arn("us-east-1", keyId);
        var apac = _harness.Arn("ap-southeast-1", keyId);
        foreach (var (bucket, region, name) in new[]
                 {
                     ("by-id", "us-east-1", keyId), ("by-arn", "us-east-1", east), ("by-alias", "us-east-1", "alias/myapp"),
                     ("by-alias-arn", "us-east-1", "arn:aws:kms:us-east-1:111122223333:alias/myapp"), ("other-key", "us-east-1", other.Arn),
                     ("replica-side", "ap-southeast-1", "alias/myapp"),
                 })
        {
            S3.CreateBucket(region, bucket);
            S3.SetDefaultKmsEncryption(bucket, name);
        }
        S3.CreateBucket("us-east-1", "plain-sse-s3");
        S3.SetVersioning("by-id", true);
        S3.SetVersioning("replica-side", true);
        S3.SetReplication("by-id", new BucketReplication("arn:aws:iam::111122223333:role/replication", [new BucketReplicationRule("to-apac", "replica-side", apac)]));

        var result = await _harness.Dependents.ReadAsync(keyId, TimeSpan.FromDays(1), refreshBuckets: true, CancellationToken.None);

        Assert.Equal(
            [("by-alias", KeyNameKind.AliasName), ("by-alias-arn", KeyNameKind.AliasArn), ("by-arn", KeyNameKind.KeyArn), ("by-id", KeyNameKind.KeyId), ("replica-side", KeyNameKind.AliasName)],
            result.Buckets.Select(b => (b.Bucket, b.NamedBy)).OrderBy(b => b.Bucket, StringComparer.Ordinal));
        Assert.Equal("ap-southeast-1", result.Buckets.Single(b => b.Bucket == "replica-side").KeyRegion);
        Assert.All(result.Buckets, b => Assert.False(b.KeyInOtherRegion));
        var rule = Assert.Single(result.ReplicationRules);
        Assert.Equal(("by-id", "to-apac", "replica-side", "ap-southeast-1", KeyNameKind.KeyArn), (rule.SourceBucket, rule.RuleId, rule.DestinationBucket, rule.DestinationRegion, rule.NamedBy));
        Assert.Null(result.S3Error);
        Assert.Empty(result.FailingBuckets);
        Assert.Equal("5 buckets, 1 replication rule, 0 grants, 0 principals in the last 1 day would lose access", result.BlastRadius.Summary);
        Assert.Equal(6, _harness.Dependents.ConfigurationCounts(_harness.Inventory.Current)[keyId]);

        var otherResult = await _harness.Dependents.ReadAsync(other.KeyId, TimeSpan.FromDays(1), refreshBuckets: false, CancellationToken.None);
        Assert.Equal("other-key", Assert.Single(otherResult.Buckets).Bucket);
        Assert.Empty(otherResult.ReplicationRules);
    }

    [Fact]
    public async Task ABucketInAFailingRegionIsShownAsFailingWithoutHidingTheOthers()
    {
        var keyId = await _harness.CreateKeySetAsync("us-east-1", ["eu-west-1"], "alias/shared");
        S3.CreateBucket("us-east-1", "healthy-east");
        S3.SetDefaultKmsEncryption("healthy-east", "alias/shared");
        S3.CreateBucket("eu-west-1", "stuck-in-ireland");
        S3.SetDefaultKmsEncryption("stuck-in-ireland", "alias/shared");
        await _harness.Buckets.GetAsync(refresh: true, CancellationToken.None);
        await _harness.Inventory.RefreshAsync(CancellationToken.None);
        var before = _harness.Clock.UtcNow;
        _harness.Faults.Set("eu-west-1", new RegionFault(Outage: true));

        var result = await _harness.Dependents.ReadAsync(keyId, TimeSpan.FromDays(1), refreshBuckets: true, CancellationToken.None);

        var failing = Assert.Single(result.FailingBuckets);
        Assert.Equal(("stuck-in-ireland", "eu-west-1"), (failing.Name, failing.Region));
        Assert.NotNull(failing.Error);
        Assert.True(failing.FailingSince >= before);
        // Its last good configuration is kept and still counts, with when it was read.
        Assert.Equal(["healthy-east", "stuck-in-ireland"], result.Buckets.Select(b => b.Bucket).Order(StringComparer.Ordinal));
        Assert.True(result.Buckets.Single(b => b.Bucket == "stuck-in-ireland").ReadAt < before);
        Assert.Contains("1 bucket could not be read", result.BlastRadius.Summary, StringComparison.Ordinal);
        Assert.NotNull(result.Regions.Single(r => r.Region == "eu-west-1").GrantsError);
        Assert.Null(result.Regions.Single(r => r.Region == "us-east-1").GrantsError);
    }

    [Fact]
    public async Task WhenListBucketsFailsEverywhereS3IsReportedAsUnknown()
    {
        var keyId = await _harness.CreateKeySetAsync("us-east-1", []);
        foreach (var region in DependentsHarness.Regions) _harness.Faults.Set(region, new RegionFault(Outage: true));
        var catalog = await _harness.Buckets.GetAsync(refresh: true, CancellationToken.None);
        foreach (var region in DependentsHarness.Regions) _harness.Faults.Clear(region);

        Assert.NotNull(catalog.Error);
        Assert.NotNull(catalog.FailingSince);
        Assert.Null(catalog.ReadAt);
    }

    [Fact]
    public async Task AKeyPendingDeletionThatABucketStillNamesRaisesTheAlarm()
    {
        var key = (await _harness.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest())).KeyMetadata;
        var unused = (await _harness.Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest())).KeyMetadata;
        S3.CreateBucket("us-east-1", "still-encrypting");
        S3.SetDefaultKmsEncryption("still-encrypting", key.Arn);
        foreach (var id in new[] { key.KeyId, unused.KeyId })
            await _harness.Kms("us-east-1").ScheduleKeyDeletionAsync(new Sdk.ScheduleKeyDeletionRequest { KeyId = id, PendingWindowInDays = 7 });
        await _harness.Inventory.RefreshAsync(CancellationToken.None);
        await _harness.Buckets.GetAsync(refresh: true, CancellationToken.None);

        var alarms = _harness.Dependents.PendingDeletionInUse(_harness.Inventory.Current, TimeSpan.FromDays(30));

        var alarm = Assert.Single(alarms);
        Assert.Equal(key.KeyId, alarm.Key.KeyId);
        Assert.Contains("still-encrypting", alarm.Reasons[0], StringComparison.Ordinal);
    }
}
