using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Cluster;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Aws;

public sealed class RegionHealthTests : IAsyncLifetime
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-southeast-1"];
    private SandboxServer _sandbox = default!;
    private AwsClients _clients = default!;
    private RegionHealth _health = default!;

    private SandboxFaults Faults => _sandbox.Services.GetRequiredService<SandboxFaults>();

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false });
        _clients = new AwsClients(Options.Create(new BackendOptions
        {
            Mode = BackendMode.Sandbox,
            Regions = Regions,
            ServiceUrl = _sandbox.Url.ToString(),
        }));
        _health = new RegionHealth(_clients, Options.Create(new RegionHealthOptions { ProbeTimeout = TimeSpan.FromSeconds(20) }),
            TimeProvider.System, NullLogger<RegionHealth>.Instance);
    }

    [Fact]
    public async Task WhileNoPageWatchesProbesWaitForTheIdleIntervalAndAPageThatOpensIsProbedAtOnce()
    {
        var health = new RegionHealth(_clients, Options.Create(new RegionHealthOptions
        {
            ProbeTimeout = TimeSpan.FromSeconds(20),
            ProbeInterval = TimeSpan.FromMilliseconds(200),
            IdleProbeInterval = TimeSpan.FromHours(1),
        }), TimeProvider.System, NullLogger<RegionHealth>.Instance);
        using var monitor = new RegionHealthMonitor(health, TimeProvider.System, NullLogger<RegionHealthMonitor>.Instance);
        await monitor.StartAsync(CancellationToken.None);
        try
        {
            await WaitUntilAsync(() => health.Regions.All(r => r.LastProbe is not null));
            var first = health.For("us-east-1").LastProbe;
            await Task.Delay(1000);
            Assert.Equal(first, health.For("us-east-1").LastProbe); // idle: no second round within the hour

            using var page = health.Changed(() => { });
            await WaitUntilAsync(() => health.For("us-east-1").LastProbe != first);
            var second = health.For("us-east-1").LastProbe;
            await WaitUntilAsync(() => health.For("us-east-1").LastProbe != second); // watched: every 200 ms
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AClusterFollowerProbesOnlyWhileItsOwnPageWatchesAndTheLeaderKeepsItsIdleRounds()
    {
        var health = new RegionHealth(_clients, Options.Create(new RegionHealthOptions
        {
            ProbeTimeout = TimeSpan.FromSeconds(20),
            ProbeInterval = TimeSpan.FromMilliseconds(200),
            IdleProbeInterval = TimeSpan.FromMilliseconds(300),
        }), TimeProvider.System, NullLogger<RegionHealth>.Instance);
        await using var database = new ClusterDatabase("Host=127.0.0.1;Database=not-opened");
        var cluster = new InventoryCluster(database, Options.Create(new ClusterOptions { InstanceName = "follower", ConnectionString = database.ConnectionString }),
            Options.Create(new InventoryOptions()), NullLogger<InventoryCluster>.Instance);
        using var monitor = new RegionHealthMonitor(health, TimeProvider.System, NullLogger<RegionHealthMonitor>.Instance, cluster);
        await monitor.StartAsync(CancellationToken.None);
        try
        {
            // A follower with no page watching: not even the start round (the leader's idle rounds would be every 300 ms).
            await Task.Delay(1500);
            Assert.All(health.Regions, r => Assert.Null(r.LastProbe));

            using (health.Changed(() => { }))
            {
                await WaitUntilAsync(() => health.Regions.All(r => r.LastProbe is not null)); // its own page: probed at once
                var watched = health.For("us-east-1").LastProbe;
                await WaitUntilAsync(() => health.For("us-east-1").LastProbe != watched);
            }
            await Task.Delay(400); // a round under way when the page closed may still land
            var closed = health.For("us-east-1").LastProbe;
            await Task.Delay(1000);
            Assert.Equal(closed, health.For("us-east-1").LastProbe);

            cluster.BecomeLeader(); // the leader probes idle again, for the findings it evaluates
            await WaitUntilAsync(() => health.For("us-east-1").LastProbe != closed);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold in 30 s.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public void BeforeTheFirstProbeEveryRegionIsUnknown()
    {
        Assert.All(_health.Regions, r => Assert.Equal(RegionReachability.Unknown, r.Reachability));
        Assert.Equal(Regions, _health.Regions.Select(r => r.Region));
    }

    [Fact]
    public async Task AnOutageInOneRegionLeavesTheOthersReachable()
    {
        Faults.Set("eu-west-1", new RegionFault(Outage: true));

        await _health.ProbeAllAsync();

        var down = _health.For("eu-west-1");
        Assert.Equal(RegionReachability.Unreachable, down.Reachability);
        Assert.NotNull(down.DownSince);
        Assert.Contains("ServiceUnavailableException", down.LastError);
        Assert.Null(down.Latency);
        Assert.All(_health.Regions.Where(r => r.Region != "eu-west-1"), r =>
        {
            Assert.Equal(RegionReachability.Reachable, r.Reachability);
            Assert.NotNull(r.Latency);
            Assert.Null(r.DownSince);
        });
    }

    [Fact]
    public async Task DownSinceStaysAtTheFirstFailureAndClearsOnRecovery()
    {
        Faults.Set("ap-southeast-1", new RegionFault(Outage: true));
        var first = await _health.ProbeAsync("ap-southeast-1");
        var second = await _health.ProbeAsync("ap-southeast-1");
        Assert.Equal(first.DownSince, second.DownSince);

        Faults.Clear("ap-southeast-1");
        var recovered = await _health.ProbeAsync("ap-southeast-1");

        Assert.Equal(RegionReachability.Reachable, recovered.Reachability);
        Assert.Null(recovered.DownSince);
        Assert.Null(recovered.LastError);
    }

    [Fact]
    public async Task ThrottlingIsDegradedNotDown()
    {
        Faults.Set("us-east-1", new RegionFault(Throttle: true));

        var status = await _health.ProbeAsync("us-east-1");

        Assert.Equal(RegionReachability.Degraded, status.Reachability);
        Assert.True(status.IsReachable);
        Assert.Contains("ThrottlingException", status.LastError);
    }

    [Fact]
    public async Task TheMeasuredLatencyIncludesTheRegionsAddedLatency()
    {
        Faults.Set("eu-west-1", new RegionFault(Latency: TimeSpan.FromMilliseconds(400)));

        var status = await _health.ProbeAsync("eu-west-1");

        Assert.Equal(RegionReachability.Reachable, status.Reachability);
        Assert.True(status.Latency >= TimeSpan.FromMilliseconds(400), $"measured {status.Latency}");
    }

    [Fact]
    public async Task AProbeThatOutlastsTheTimeoutCountsAsUnreachable()
    {
        using var impatient = new RegionHealth(_clients, Options.Create(new RegionHealthOptions { ProbeTimeout = TimeSpan.FromMilliseconds(200) }),
            TimeProvider.System, NullLogger<RegionHealth>.Instance);
        Faults.Set("eu-west-1", new RegionFault(Latency: TimeSpan.FromSeconds(5)));

        var status = await impatient.ProbeAsync("eu-west-1");

        Assert.Equal(RegionReachability.Unreachable, status.Reachability);
        Assert.NotNull(status.LastError);
    }

    [Fact]
    public async Task SubscribersHearOfEveryProbeUntilTheyUnsubscribe()
    {
        var heard = 0;
        var subscription = _health.Changed(() => Interlocked.Increment(ref heard));

        await _health.ProbeAllAsync();
        subscription.Dispose();
        await _health.ProbeAllAsync();

        Assert.Equal(Regions.Length, heard);
    }

    [Fact]
    public async Task AnUnconfiguredRegionIsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _health.ProbeAsync("sa-east-1"));
    }

    public async Task DisposeAsync()
    {
        _health.Dispose();
        _clients.Dispose();
        await _sandbox.DisposeAsync();
    }
}
