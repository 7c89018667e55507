using System.Collections.Concurrent;
using System.Security.Claims;
using Amazon.KeyManagementService;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "kmsdash-drills-" + Guid.NewGuid().ToString("N"));
    private readonly IDisposable _subscription;
    private readonly ServiceProvider _services;

    private DrillHarness(SandboxServer server)
    {
        Server = server;
        _services = Build();
        _subscription = server.Services.GetRequiredService<SandboxCallLog>().Subscribe(call =>
        {
            if (call.Service == "kms" && call.EventType == "AwsApiCall") Sent.Enqueue(call);
        });
    }

    public SandboxServer Server { get; }
    public ConcurrentQueue<SandboxCall> Sent { get; } = new();
    public SandboxFaults Faults => Server.Services.GetRequiredService<SandboxFaults>();
    public FailoverDrillService Drills => _services.GetRequiredService<FailoverDrillService>();
    public FailoverDrillStore Store => _services.GetRequiredService<FailoverDrillStore>();
    public ActionJournal Journal => _services.GetRequiredService<ActionJournal>();
    public KeyInventory Inventory => _services.GetRequiredService<KeyInventory>();
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();
    public IAmazonKeyManagementService Kms(string region) => _services.GetRequiredService<AwsClients>().Kms(region);
    public string KeyId { get; private set; } = "";

    public static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Test", ClaimTypes.Name, ClaimTypes.Role));

    public static readonly ClaimsPrincipal Viewer = User("vera", DashboardRoles.Viewer);
    public static readonly ClaimsPrincipal Operator = User("otto", DashboardRoles.Operator);

    public static async Task<DrillHarness> StartAsync()
    {
        var harness = new DrillHarness(await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = false, EnforceQuotas = false }));
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
        Server.Services.GetRequiredService<SandboxControl>().Advance(TimeSpan.FromMinutes(1));
        foreach (var region in Regions[..3])
            await Kms(region).CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = "alias/orders", TargetKeyId = KeyId });
    }

    /// <summary>The cryptographic calls the sandbox served (the inventory's own reads go on in the background).</summary>
    public IReadOnlyList<SandboxCall> DrillCalls => [.. Sent.Where(c => c.Operation is "GenerateDataKey" or "Decrypt")];

    /// <summary>The sandbox-served KMS calls of one operation, by Region.</summary>
    public IReadOnlyList<SandboxCall> Calls(string operation) => [.. Sent.Where(c => c.Operation == operation)];

    private ServiceProvider Build()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Sandbox",
            ["Backend:ServiceUrl"] = Server.Url.ToString(),
            ["Storage:DataDirectory"] = _dataDirectory,
        };
        for (var i = 0; i < Regions.Length; i++) settings[$"Backend:Regions:{i}"] = Regions[i];
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        services.AddDashboardAuthorization();
        services.AddInventory();
        services.AddKeyActions(_dataDirectory);
        services.AddDashboardAudit();
        services.AddFailoverDrills(_dataDirectory);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _services.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
