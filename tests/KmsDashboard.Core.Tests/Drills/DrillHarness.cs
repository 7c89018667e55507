using System.Collections.Concurrent;
using System.Security.Claims;
using Amazon.KeyManagementService;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Drills;

/// <summary>
/// A fresh, unthrottled sandbox with the real Core services over it (drills and journal in a temp directory), the
/// sandbox's own record of every KMS call, and a key set: primary in us-east-1, replicas in us-west-2, eu-west-1 and
/// eu-central-1, alias/orders everywhere but eu-central-1.
/// </summary>
internal sealed class DrillHarness : IAsyncDisposable
{
    public static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];

    private readonly SandboxAppHarness _app;

    private DrillHarness(SandboxAppHarness app) => _app = app;

    public SandboxServer Server => _app.Server;
    public ConcurrentQueue<SandboxCall> Sent => _app.Sent;
    public SandboxFaults Faults => _app.Faults;
    public FailoverDrillService Drills => _app.Get<FailoverDrillService>();
    public FailoverDrillStore Store => _app.Get<FailoverDrillStore>();
    public ActionJournal Journal => _app.Get<ActionJournal>();
    public KeyInventory Inventory => _app.Get<KeyInventory>();
    public T Get<T>() where T : notnull => _app.Get<T>();
    public IAmazonKeyManagementService Kms(string region) => _app.Kms(region);
    public string KeyId { get; private set; } = "";

    /// <summary>The app's data directory (journal and drills store).</summary>
    public string DataDirectory => _app.DataDirectory;

    /// <summary>A second app over the same sandbox with its data in <paramref name="dataDirectory"/> (a restarted app); disposed with the harness.</summary>
    public IServiceProvider StartAnotherApp(string dataDirectory) => _app.StartAnotherApp(dataDirectory);

    public static ClaimsPrincipal User(string name, params string[] roles) => SandboxAppHarness.User(name, roles);

    public static readonly ClaimsPrincipal Viewer = User("vera", DashboardRoles.Viewer);
    public static readonly ClaimsPrincipal Operator = User("otto", DashboardRoles.Operator);

    public static async Task<DrillHarness> StartAsync()
    {
        var harness = new DrillHarness(await SandboxAppHarness.Create("drills")
            .InRegions(Regions)
            .WithSystemTime()
            .WithServices((services, data) =>
            {
                services.AddKeyActions(data);
                services.AddDashboardAudit();
                services.AddFailoverDrills(data);
            })
            .StartAsync());
        await harness.CreateKeySetAsync();
        await harness.Inventory.RefreshAsync(CancellationToken.None);
        harness.Sent.Clear();
        return harness;
    }

    private async Task CreateKeySetAsync()
    {
        var key = (await Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest { MultiRegion = true, Description = "orders" })).KeyMetadata;
        KeyId = key.KeyId;
        foreach (var replica in Regions[1..])
            await Kms("us-east-1").ReplicateKeyAsync(new Sdk.ReplicateKeyRequest { KeyId = KeyId, ReplicaRegion = replica });
        _app.Control.Advance(TimeSpan.FromMinutes(1));
        foreach (var region in Regions[..3])
            await Kms(region).CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = "alias/orders", TargetKeyId = KeyId });
    }

    /// <summary>The cryptographic calls the sandbox served (the inventory's own reads go on in the background).</summary>
    public IReadOnlyList<SandboxCall> DrillCalls => [.. Sent.Where(c => c.Operation is "GenerateDataKey" or "Decrypt")];

    /// <summary>The sandbox-served KMS calls of one operation, by Region.</summary>
    public IReadOnlyList<SandboxCall> Calls(string operation) => [.. Sent.Where(c => c.Operation == operation)];

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
