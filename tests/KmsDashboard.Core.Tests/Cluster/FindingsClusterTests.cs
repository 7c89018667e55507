using System.Collections.Concurrent;
using KmsDashboard.Core.Tests.Inventory;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>
/// Findings in a cluster of two instances on one PostgreSQL database and one sandbox: only the leader evaluates (so an
/// evaluation costs the AWS calls of one instance's, wherever it is asked for), the follower serves what it stored, and
/// the instance that takes over the lead takes over evaluating.
/// </summary>
public sealed class FindingsClusterTests
{
    /// <summary>
    /// Each evaluation reads its sources again (no cache), so two evaluations' calls can be compared; one CloudTrail page
    /// per operation and Region, so that events the sandbox records meanwhile cannot change how many pages are read.
    /// </summary>
    private static readonly Dictionary<string, string?> Uncached = new()
    {
        ["Findings:ExtraReadsCacheDuration"] = "00:00:00",
        ["Dependents:BucketCacheDuration"] = "00:00:00",
        ["Findings:CloudTrailPagesPerRegion"] = "7",
    };

    [SkippableFact]
    public async Task AFollowersEvaluationIsTheLeadersAndCostsTheAwsCallsOfOneInstancesEvaluation()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        var requests = new Requests(sandbox);
        var calls = new ConcurrentQueue<SandboxCall>();
        using var log = sandbox.Services.GetRequiredService<SandboxCallLog>().Subscribe(c =>
        {
            if (c is { EventType: "AwsApiCall", InvokedBy: null }) calls.Enqueue(c);
        });

        await using var a = await ClusterApp.StartAsync("instance-a", db.ConnectionString, sandbox.Url, Uncached);
        // The leader refreshes at once and evaluates after its snapshot.
        await InventoryHarness.WaitUntilAsync(() => a.Cluster.IsLeader && a.Inventory.Current.ReadAt is not null && !a.Inventory.Progress.Running
            && a.Findings.Current.EvaluatedAt is not null && !a.Findings.Evaluating, "instance A to lead, refresh and evaluate", seconds: 120);
        await QuietAsync(a);

        calls.Clear();
        var served = requests.Snapshot();
        var alone = await a.Findings.EvaluateAsync(CancellationToken.None);
        await Task.Delay(500);
        var oneInstance = Tally(calls);
        var oneInstanceRequests = requests.Since(served);
        Assert.True(oneInstanceRequests.GetValueOrDefault("monitoring") > 0, $"No CloudWatch read in an evaluation: {string.Join(", ", oneInstanceRequests)}");
        Assert.True(oneInstanceRequests.GetValueOrDefault("cloudtrail") > 0, $"No CloudTrail read in an evaluation: {string.Join(", ", oneInstanceRequests)}");
        Assert.Contains("s3 ListBuckets", oneInstance.Keys);

        calls.Clear();
        served = requests.Snapshot();
        await using var b = await ClusterApp.StartAsync("instance-b", db.ConnectionString, sandbox.Url, Uncached);
        await InventoryHarness.WaitUntilAsync(() => b.Inventory.Current.ReadAt == a.Inventory.Current.ReadAt && b.Findings.Current.EvaluatedAt == alone.EvaluatedAt,
            "instance B to serve A's snapshot and A's stored findings");
        await Task.Delay(3000); // longer than the findings' settling delay after a snapshot: B would have evaluated by now
        Assert.False(b.Findings.EvaluatesHere);
        Assert.Empty(requests.Since(served)); // a follower starting reads nothing from AWS, and does not evaluate
        Assert.Equal(alone.Findings.Select(f => (f.Id, f.FirstSeen)), b.Findings.Current.Findings.Select(f => (f.Id, f.FirstSeen)));
        Assert.Equal(alone.NotEvaluated, b.Findings.Current.NotEvaluated);

        // Evaluate pressed on the follower: the leader evaluates once, and the follower's call returns with what it stored.
        calls.Clear();
        served = requests.Snapshot();
        var asked = await b.Findings.EvaluateAsync(CancellationToken.None);
        await Task.Delay(500);
        Assert.True(asked.EvaluatedAt > alone.EvaluatedAt, "The follower's evaluation returned before a newer evaluation was served.");
        Assert.Equal(a.Findings.Current.EvaluatedAt, asked.EvaluatedAt);
        Assert.Same(asked, b.Findings.Current);
        Assert.Equal(a.Findings.Current.Findings.Select(f => f.Id), asked.Findings.Select(f => f.Id));
        Assert.Equal(oneInstance, Tally(calls));
        Assert.Equal(oneInstanceRequests, requests.Since(served));
        Assert.Equal(0, b.EvaluationsHere.Count); // the leader evaluated it

        // A refresh asked on the follower: one evaluation after it, by the leader.
        served = requests.Snapshot();
        var evaluatedBefore = a.Findings.Current.EvaluatedAt;
        await b.Inventory.RefreshAsync(CancellationToken.None);
        await InventoryHarness.WaitUntilAsync(() => b.Findings.Current.EvaluatedAt > evaluatedBefore && !a.Findings.Evaluating, "the leader to evaluate after the refresh");
        await Task.Delay(3000);
        var afterRefresh = requests.Since(served);
        Assert.Equal(oneInstanceRequests["monitoring"], afterRefresh.GetValueOrDefault("monitoring"));
        Assert.Equal(oneInstanceRequests["cloudtrail"], afterRefresh.GetValueOrDefault("cloudtrail"));
        Assert.Equal(a.Findings.Current.EvaluatedAt, b.Findings.Current.EvaluatedAt);
        Assert.Equal(0, b.EvaluationsHere.Count);
    }

    [SkippableFact]
    public async Task WhenTheLeaderChangesTheNewLeaderEvaluatesAndTheOldOneAsksIt()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        var requests = sandbox.Services.GetRequiredService<SandboxRequestCounter>();
        int MetricReads() => requests.Snapshot().GetValueOrDefault("monitoring");
        await using var a = await ClusterApp.StartAsync("instance-a", db.ConnectionString, sandbox.Url, Uncached);
        await InventoryHarness.WaitUntilAsync(() => a.Cluster.IsLeader && a.Findings.Current.EvaluatedAt is not null && !a.Findings.Evaluating,
            "instance A to lead and evaluate", seconds: 120);
        await QuietAsync(a);
        await using var b = await ClusterApp.StartAsync("instance-b", db.ConnectionString, sandbox.Url, Uncached);
        await InventoryHarness.WaitUntilAsync(() => b.Findings.Current.EvaluatedAt == a.Findings.Current.EvaluatedAt && b.Inventory.Current.ReadAt is not null,
            "instance B to serve A's findings");

        // The leader's lock session dies (as with its process or network): B leads.
        var beforeKill = MetricReads();
        await using (var admin = new NpgsqlConnection(db.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }
        await InventoryHarness.WaitUntilAsync(() => b.Findings.EvaluatesHere && !a.Findings.EvaluatesHere, "instance B to take the lead", seconds: 30);
        // B serves a snapshot A already evaluated: taking the lead is no reason to read it all again.
        await Task.Delay(3000);
        Assert.Equal(beforeKill, MetricReads());
        Assert.Equal(a.Findings.Current.EvaluatedAt, b.Findings.Current.EvaluatedAt);

        // Evaluate pressed on A, now a follower: B evaluates, A serves what B stored.
        var evaluatedBefore = b.Findings.Current.EvaluatedAt;
        var (byA, byB) = (a.EvaluationsHere.Count, b.EvaluationsHere.Count);
        var report = await a.Findings.EvaluateAsync(CancellationToken.None);
        Assert.Equal((byA, byB + 1), (a.EvaluationsHere.Count, b.EvaluationsHere.Count));
        Assert.True(report.EvaluatedAt > evaluatedBefore);
        Assert.Equal(b.Findings.Current.EvaluatedAt, report.EvaluatedAt);
        Assert.True(MetricReads() > beforeKill, "Nobody read CloudWatch for the evaluation.");
    }

    /// <summary>Waits until no evaluation is under way or due (the one after a refresh settles for two seconds first).</summary>
    private static async Task QuietAsync(ClusterApp app)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var at = app.Findings.Current.EvaluatedAt;
            await Task.Delay(3000);
            if (!app.Findings.Evaluating && app.Findings.Current.EvaluatedAt == at) return;
            Assert.True(DateTime.UtcNow < deadline, "The findings kept being evaluated.");
        }
    }

    /// <summary>
    /// Requests the sandbox received by service, CloudTrail counted as the lookups it answered: a request it throttled
    /// (two instances' machine under load may bunch paced requests) is retried, and the retry is the same lookup.
    /// </summary>
    private sealed class Requests(SandboxServer sandbox)
    {
        private readonly SandboxRequestCounter _counter = sandbox.Services.GetRequiredService<SandboxRequestCounter>();
        private readonly CloudTrailRateMeter _meter = sandbox.Services.GetRequiredService<CloudTrailRateMeter>();

        public IReadOnlyDictionary<string, int> Snapshot()
        {
            var served = new SortedDictionary<string, int>(_counter.Snapshot().ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
            var throttled = _meter.Regions.Sum(_meter.Throttled);
            if (served.ContainsKey("cloudtrail")) served["cloudtrail"] -= throttled;
            return served;
        }

        public IReadOnlyDictionary<string, int> Since(IReadOnlyDictionary<string, int> before) =>
            new SortedDictionary<string, int>(Snapshot().Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.Count > 0)
                .ToDictionary(p => p.Key, p => p.Count, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static Dictionary<string, int> Tally(IEnumerable<SandboxCall> calls) =>
        calls.GroupBy(c => $"{c.Service} {c.Operation}").ToDictionary(g => g.Key, g => g.Count());
}
