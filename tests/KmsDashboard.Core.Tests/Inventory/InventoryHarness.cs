using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Inventory;

/// <summary>A sandbox with the demo account and a <see cref="KeyInventory"/> reading it through the real SDK clients.</summary>
internal sealed class InventoryHarness : IAsyncDisposable
{
    public static readonly string[] DemoRegions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    private InventoryHarness(SandboxServer server, AwsClients clients, KeyInventory inventory)
    {
        Server = server;
        Clients = clients;
        Inventory = inventory;
    }

    public SandboxServer Server { get; }
    public AwsClients Clients { get; }
    public KeyInventory Inventory { get; }
    public SandboxFaults Faults => Server.Services.GetRequiredService<SandboxFaults>();

    public static async Task<InventoryHarness> StartAsync(Action<InventoryOptions>? configure = null, bool seed = true)
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = seed, EnforceQuotas = true });
        var clients = new AwsClients(Options.Create(new BackendOptions
        {
            Mode = BackendMode.Sandbox,
            Regions = DemoRegions,
            ServiceUrl = server.Url.ToString(),
        }));
        var options = new InventoryOptions { ReadLastUse = false, RegionTimeout = TimeSpan.FromSeconds(90) };
        configure?.Invoke(options);
        var inventory = new KeyInventory(clients, Options.Create(options), NullLogger<KeyInventory>.Instance);
        return new InventoryHarness(server, clients, inventory);
    }

    /// <summary>Waits (generously, for a loaded CI machine) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Inventory.Dispose();
        Clients.Dispose();
        await Server.DisposeAsync();
    }
}
