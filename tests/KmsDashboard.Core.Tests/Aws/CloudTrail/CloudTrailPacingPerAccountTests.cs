using System.Diagnostics;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Cluster;
using KmsDashboard.Core.Tests.Cluster;

namespace KmsDashboard.Core.Tests.Aws.CloudTrail;

/// <summary>
/// CloudTrail's 2 requests a second are per account and Region: the limiter (and the cluster's shared slots) keep one
/// queue per account-Region, so a member account's export never waits for another account's, nor gets more than its two.
/// </summary>
public sealed class CloudTrailPacingPerAccountTests
{
    private const string Payments = "444455556666", Security = "111122223333", Region = "us-east-1";

    [Fact]
    public void TheDashboardsOwnCredentialsKeepTheRegionAsKeyAndAnAccountReadThroughItsRolePrefixesIt()
    {
        Assert.Equal(Region, CloudTrailRateLimiter.Key("", Region));
        Assert.Equal($"{Payments}:{Region}", CloudTrailRateLimiter.Key(Payments, Region));
    }

    [Fact]
    public async Task TwoAccountsInOneRegionDoNotWaitForEachOthersSlots()
    {
        var limiter = new CloudTrailRateLimiter();
        await limiter.WaitAsync(Payments, Region, CancellationToken.None);
        await limiter.WaitAsync(Payments, Region, CancellationToken.None);

        // The payments account's next slot is a pacing interval away; the other account's and the dashboard's own are free.
        Assert.True(limiter.Backlog(CloudTrailRateLimiter.Key(Payments, Region)) > TimeSpan.FromMilliseconds(300));
        Assert.Equal(TimeSpan.Zero, limiter.Backlog(CloudTrailRateLimiter.Key(Security, Region)));
        Assert.Equal(TimeSpan.Zero, limiter.Backlog(Region));
        var clock = Stopwatch.StartNew();
        await limiter.WaitAsync(Security, Region, CancellationToken.None);
        await limiter.WaitAsync("", Region, CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(300), $"{clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [SkippableFact]
    public async Task TheClustersSharedSlotsAreKeptPerAccountAndRegion()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var first = new ClusterDatabase(db.ConnectionString);
        await using var second = new ClusterDatabase(db.ConnectionString);
        var a = new CloudTrailRateLimiter(shared: new PostgresCloudTrailPacing(first));
        var b = new CloudTrailRateLimiter(shared: new PostgresCloudTrailPacing(second));
        await a.WaitAsync("eu-west-1", CancellationToken.None); // opens the pools and creates the table
        await b.WaitAsync("eu-west-1", CancellationToken.None);

        // Instance a takes a payments slot; instance b's next payments slot waits for it, its security slot does not. A
        // loaded machine can make one database round trip alone take longer than the bound: such a run is measured again
        // (up to 3 times, in a fresh Region each time); if the accounts shared slots, every run would wait the interval.
        TimeSpan other = default, same = default;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var region = attempt == 0 ? Region : $"{Region}-again-{attempt}";
            await a.WaitAsync(Payments, region, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            await b.WaitAsync(Security, region, CancellationToken.None);
            other = clock.Elapsed;
            await b.WaitAsync(Payments, region, CancellationToken.None);
            same = clock.Elapsed;
            if (other < TimeSpan.FromMilliseconds(300)) break;
        }

        Assert.True(other < TimeSpan.FromMilliseconds(300), $"another account waited {other.TotalMilliseconds:F0} ms");
        Assert.True(same > CloudTrailRateLimiter.Interval * 0.6, $"the same account waited only {same.TotalMilliseconds:F0} ms");
    }
}
