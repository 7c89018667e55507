using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Cluster;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Tests.Inventory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>One dashboard instance's share of the cluster: its own AWS clients, inventory, database pool and leadership loop.</summary>
internal sealed class ClusterMember : IAsyncDisposable
{
    private ClusterMember(string name, AwsClients clients, ClusterDatabase database, InventoryCluster cluster, KeyInventory inventory, InventoryLeadership leadership)
    {
        Name = name;
        Clients = clients;
        Database = database;
        Cluster = cluster;
        Inventory = inventory;
        Leadership = leadership;
    }

    public string Name { get; }
    public AwsClients Clients { get; }
    public ClusterDatabase Database { get; }
    public InventoryCluster Cluster { get; }
    public KeyInventory Inventory { get; }
    public InventoryLeadership Leadership { get; }
    private bool _stopped;

    public static async Task<ClusterMember> StartAsync(string name, string connectionString, Uri sandbox, TimeSpan refreshInterval)
    {
        var clients = new AwsClients(Options.Create(new BackendOptions
        {
            Mode = BackendMode.Sandbox,
            Regions = InventoryHarness.DemoRegions,
            ServiceUrl = sandbox.ToString(),
        }));
        var inventoryOptions = Options.Create(new InventoryOptions { ReadLastUse = false, RefreshInterval = refreshInterval, RegionTimeout = TimeSpan.FromSeconds(60) });
        var clusterOptions = Options.Create(new ClusterOptions
        {
            InstanceName = name,
            ConnectionString = connectionString,
            LeaderCheckInterval = TimeSpan.FromMilliseconds(500),
            PublishInterval = TimeSpan.FromMilliseconds(200),
        });
        var database = new ClusterDatabase(connectionString);
        var cluster = new InventoryCluster(database, clusterOptions, inventoryOptions, NullLogger<InventoryCluster>.Instance);
        var inventory = new KeyInventory(clients, inventoryOptions, NullLogger<KeyInventory>.Instance, cluster: cluster);
        var leadership = new InventoryLeadership(inventory, cluster, database, clusterOptions, inventoryOptions, NullLogger<InventoryLeadership>.Instance);
        await leadership.StartAsync(CancellationToken.None);
        return new ClusterMember(name, clients, database, cluster, inventory, leadership);
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await Leadership.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Leadership.Dispose();
        Inventory.Dispose();
        Clients.Dispose();
        await Database.DisposeAsync();
    }
}
