using System.Diagnostics;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Tests.Inventory;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>
/// Two instances on one PostgreSQL database and one sandbox: the leader reads AWS and publishes the snapshot, the follower
/// serves it and asks the leader for refreshes and re-reads; when the leader's connection dies the follower takes over.
/// </summary>
public sealed class InventoryClusterTests
{
    [SkippableFact]
    public async Task TheFollowerServesTheLeadersSnapshotAndItsRefreshCostsWhatOneInstancesDoes()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        var listKeys = 0;
        using var log = sandbox.Services.GetRequiredService<SandboxCallLog>().Subscribe(c =>
        {
            if (c is { Service: "kms", Operation: "ListKeys" }) Interlocked.Increment(ref listKeys);
        });

        await using var a = await ClusterMember.StartAsync("instance-a", db.ConnectionString, sandbox.Url, TimeSpan.FromMinutes(10));
        await InventoryHarness.WaitUntilAsync(() => a.Cluster.IsLeader && a.Cluster.Status.PublishedAt is not null && a.Inventory.Current.ReadAt is not null
            && !a.Inventory.Progress.Running, "instance A to lead and publish its first refresh");
        await Task.Delay(500); // the last publish of the refresh
        var onePerRefresh = Volatile.Read(ref listKeys);
        Assert.True(onePerRefresh >= InventoryHarness.DemoRegions.Length, $"ListKeys was called {onePerRefresh} times for one refresh.");

        await using var b = await ClusterMember.StartAsync("instance-b", db.ConnectionString, sandbox.Url, TimeSpan.FromMinutes(10));
        await InventoryHarness.WaitUntilAsync(() => b.Inventory.Current.ReadAt is not null && b.Inventory.Current.ReadAt == a.Inventory.Current.ReadAt,
            "instance B to serve instance A's snapshot");
        Assert.False(b.Inventory.ReadsAws);
        Assert.Equal(new InventoryClusterStatus("instance-b", false, "instance-a", a.Cluster.Status.PublishedAt), b.Inventory.ClusterStatus);
        Assert.Equal(onePerRefresh, Volatile.Read(ref listKeys)); // B read nothing from AWS
        Assert.Equal(a.Inventory.Current.KeyCount, b.Inventory.Current.KeyCount);
        Assert.Equal(a.Inventory.Current.KeySets.Select(s => (s.KeyId, s.Drift.Items.Count)), b.Inventory.Current.KeySets.Select(s => (s.KeyId, s.Drift.Items.Count)));

        // Refresh pressed on the follower: the leader reads AWS once, and the follower's call returns with the new snapshot.
        var readBefore = b.Inventory.Current.ReadAt;
        await b.Inventory.RefreshAsync(CancellationToken.None);
        Assert.True(b.Inventory.Current.ReadAt > readBefore, "The follower's refresh returned before a newer snapshot was served.");
        Assert.False(b.Inventory.Progress.Running);
        await Task.Delay(500);
        Assert.Equal(2 * onePerRefresh, Volatile.Read(ref listKeys));
    }

    [SkippableFact]
    public async Task AKeyChangedThroughTheFollowerIsReReadByTheLeaderAndServedOnBoth()
    {
        await using var db = await TestPostgres.CreateAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        await using var a = await ClusterMember.StartAsync("instance-a", db.ConnectionString, sandbox.Url, TimeSpan.FromMinutes(10));
        await InventoryHarness.WaitUntilAsync(() => a.Cluster.IsLeader && a.Inventory.Current.ReadAt is not null, "instance A to lead");
        await using var b = await ClusterMember.StartAsync("instance-b", db.ConnectionString, sandbox.Url, TimeSpan.FromMinutes(10));
        await InventoryHarness.WaitUntilAsync(() => b.Inventory.Current.ReadAt == a.Inventory.Current.ReadAt, "instance B to serve A's snapshot");

        var key = b.Inventory.Current.CustomerKeys.First(k => k is { Region: "us-east-1", State: "Enabled", ReadError: null });
        await b.Clients.Kms("us-east-1").UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = "changed through instance B" });
        await b.Inventory.RefreshKeysAsync([key.Ref], CancellationToken.None);

        Assert.Equal("changed through instance B", b.Inventory.Current.Find(key.Ref)!.Description);
        Assert.Equal("changed through instance B", a.Inventory.Current.Find(key.Ref)!.Description);
        Assert.True(a.Cluster.IsLeader);
    }

    [SkippableFact]
    public async Task WhenTheLeadersConnectionDiesTheFollowerTakesOverWithinOneRefreshInterval()
    {
        var interval = TimeSpan.FromSeconds(5);
        await using var db = await TestPostgres.CreateAsync();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        await using var a = await ClusterMember.StartAsync("instance-a", db.ConnectionString, sandbox.Url, interval);
        await InventoryHarness.WaitUntilAsync(() => a.Cluster.IsLeader && a.Inventory.Current.ReadAt is not null, "instance A to lead");
        await using var b = await ClusterMember.StartAsync("instance-b", db.ConnectionString, sandbox.Url, interval);
        await InventoryHarness.WaitUntilAsync(() => b.Inventory.Current.ReadAt is not null, "instance B to serve A's snapshot");
        Assert.False(b.Cluster.IsLeader);

        // The leader's session ends as if its process or network had died: PostgreSQL releases its advisory lock.
        await using (var admin = new NpgsqlConnection(db.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """, admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }
        var killed = Stopwatch.StartNew();
        var readAtKill = b.Inventory.Current.ReadAt;
        await InventoryHarness.WaitUntilAsync(() => b.Cluster.IsLeader, "instance B to take the lead", seconds: 30);
        Assert.True(killed.Elapsed < interval, $"Instance B took the lead {killed.Elapsed.TotalSeconds:F1} s after the leader's connection died.");
        await InventoryHarness.WaitUntilAsync(() => !a.Cluster.IsLeader, "instance A to see it lost the lead", seconds: 30);

        // B now reads AWS itself and publishes; A follows and serves what B published.
        await InventoryHarness.WaitUntilAsync(() => b.Inventory.Current.ReadAt > readAtKill && a.Inventory.Current.ReadAt == b.Inventory.Current.ReadAt
            && a.Inventory.ClusterStatus!.Leader == "instance-b", "instance B to refresh and instance A to serve it", seconds: 60);
        Assert.True(b.Inventory.ReadsAws);
        Assert.False(a.Inventory.ReadsAws);
    }
}
