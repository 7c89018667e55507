using System.Diagnostics;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Cluster;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>
/// Two instances exporting at once from one Region keep to CloudTrail's 2 requests per second between them when their
/// limiters share the PostgreSQL slots; on their own (each pacing itself) they would not.
/// </summary>
public sealed class SharedCloudTrailPacingTests
{
    private const int RequestsEach = 6;

    [SkippableFact]
    public async Task TwoLimitersOnOneDatabaseNeverLetThreeRequestsIntoOneSecond()
    {
        await using var db = await TestPostgres.CreateAsync();
        // Two pools, as two processes would have.
        await using var first = new ClusterDatabase(db.ConnectionString);
        await using var second = new ClusterDatabase(db.ConnectionString);
        var a = new CloudTrailRateLimiter(shared: new PostgresCloudTrailPacing(first));
        var b = new CloudTrailRateLimiter(shared: new PostgresCloudTrailPacing(second));
        await a.WaitAsync("eu-west-1", CancellationToken.None); // opens the pools and creates the table
        await b.WaitAsync("eu-west-1", CancellationToken.None);
        await Task.Delay(CloudTrailRateLimiter.Interval);

        // Both exporters always have a request waiting, so the slots follow each other one Interval apart. A longer gap
        // means this test's own threads were starved (a loaded CI machine): a request recorded late (by more than 200 ms,
        // the margin in Interval) bunches up with the next ones through no fault of the pacing, and it always comes after
        // such a gap, so a run with one is measured again (at most three times).
        var times = await RequestTimesAsync(a, b, "us-east-1");
        for (var attempt = 1; attempt < 3 && Stalled(times); attempt++)
            times = await RequestTimesAsync(a, b, $"us-east-{attempt + 1}");

        Assert.Equal(2 * RequestsEach, times.Count);
        Assert.True(MostInOneSecond(times) <= CloudTrailRateLimiter.RequestsPerSecond,
            $"{MostInOneSecond(times)} requests fell within one second: {string.Join(", ", times.Select(t => $"{t.TotalMilliseconds:F0} ms"))}");
        Assert.True(times[^1] - times[0] >= CloudTrailRateLimiter.Interval * (2 * RequestsEach - 1) * 0.9);
    }

    [Fact]
    public async Task TwoLimitersPacingOnlyThemselvesLetMoreThanTwoIntoOneSecond()
    {
        // The check above can fail: without the shared slots the same two exporters exceed the limit.
        var times = await RequestTimesAsync(new CloudTrailRateLimiter(), new CloudTrailRateLimiter(), "us-east-1");
        Assert.True(MostInOneSecond(times) > CloudTrailRateLimiter.RequestsPerSecond);
    }

    private static async Task<List<TimeSpan>> RequestTimesAsync(CloudTrailRateLimiter a, CloudTrailRateLimiter b, string region)
    {
        var clock = Stopwatch.StartNew();
        var times = new List<TimeSpan>();
        async Task ExportAsync(CloudTrailRateLimiter limiter)
        {
            for (var i = 0; i < RequestsEach; i++)
            {
                await limiter.WaitAsync(region, CancellationToken.None);
                lock (times) times.Add(clock.Elapsed); // the moment the request would be sent
            }
        }
        await Task.WhenAll(Task.Run(() => ExportAsync(a)), Task.Run(() => ExportAsync(b)));
        times.Sort();
        return times;
    }

    private static bool Stalled(List<TimeSpan> times) =>
        times.Zip(times.Skip(1), (t, u) => u - t).Any(gap => gap > CloudTrailRateLimiter.Interval * 1.3);

    private static int MostInOneSecond(List<TimeSpan> times) =>
        times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < TimeSpan.FromSeconds(1)).Count()).Max();
}
