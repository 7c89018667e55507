using System.Collections.Concurrent;
using System.Security.Claims;
using Amazon.KeyManagementService;
using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>
/// A fresh sandbox (no demo seed) with the real Core services wired to it: AWS clients, inventory, journal (SQLite in a
/// temp directory), policies and <see cref="KeyOperations"/>; plus the users and the sandbox's own view of what was sent.
/// </summary>
internal sealed class ActionsHarness : IAsyncDisposable
{
    public static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];

    private readonly ServiceProvider _services;
    private readonly IDisposable _subscription;
    private readonly string _dataDirectory;

    private readonly Dictionary<string, string?> _settings;
    private readonly List<(ServiceProvider Services, string Directory)> _others = [];
    private Action<IServiceCollection>? _more;

    private ActionsHarness(SandboxServer server, ServiceProvider services, string dataDirectory, Dictionary<string, string?> settings)
    {
        _settings = settings;
        Server = server;
        _services = services;
        _dataDirectory = dataDirectory;
        _subscription = server.Services.GetRequiredService<SandboxCallLog>().Subscribe(call =>
        {
            if (call.Service == "kms" && call.EventType == "AwsApiCall") Sent.Enqueue(call);
        });
    }

    public SandboxServer Server { get; }
    public ConcurrentQueue<SandboxCall> Sent { get; } = new();
    public KeyOperations Operations => _services.GetRequiredService<KeyOperations>();
    public IServiceProvider Services => _services;
    public ActionJournal Journal => _services.GetRequiredService<ActionJournal>();
    public KeyInventory Inventory => _services.GetRequiredService<KeyInventory>();
    public SandboxClock Clock => Server.Services.GetRequiredService<SandboxClock>();
    public SandboxFaults Faults => Server.Services.GetRequiredService<SandboxFaults>();
    public IAmazonKeyManagementService Kms(string region) => _services.GetRequiredService<AwsClients>().Kms(region);

    /// <summary>Calls that change something (the sandbox marks reads ReadOnly).</summary>
    public IReadOnlyList<SandboxCall> Writes => [.. Sent.Where(c => !c.ReadOnly)];

    /// <param name="more">More registrations for the container (e.g. a test-only key action).</param>
    public static async Task<ActionsHarness> StartAsync(bool readOnly = false, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? more = null)
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            SeedDemoAccount = false,
            EnforceQuotas = false,
            ReplicaCreationDuration = TimeSpan.FromSeconds(30),
            PrimaryRegionUpdateDuration = TimeSpan.FromSeconds(30),
        });
        var dataDirectory = Path.Combine(Path.GetTempPath(), "kmsdashboard-actions-" + Guid.NewGuid().ToString("N"));
        var values = new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Sandbox",
            ["Backend:ServiceUrl"] = server.Url.ToString(),
            ["Storage:DataDirectory"] = dataDirectory,
            ["Safety:ReadOnly"] = readOnly ? "true" : "false",
            // The background last-use fill would race the tests that count the calls sent.
            ["Inventory:ReadLastUse"] = "false",
        };
        for (var i = 0; i < Regions.Length; i++) values[$"Backend:Regions:{i}"] = Regions[i];
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) values[name] = value;
        return new ActionsHarness(server, Build(server, values, dataDirectory, more), dataDirectory, values) { _more = more };
    }

    /// <summary>
    /// A second app over the same sandbox, reading its journal from <paramref name="dataDirectory"/> (e.g. a copy of this
    /// one's, taken mid-action, as a crashed process would leave it); disposed with the harness.
    /// </summary>
    public IServiceProvider StartAnotherApp(string dataDirectory)
    {
        var values = new Dictionary<string, string?>(_settings) { ["Storage:DataDirectory"] = dataDirectory };
        var services = Build(Server, values, dataDirectory, _more);
        _others.Add((services, dataDirectory));
        return services;
    }

    /// <summary>The journal's data directory.</summary>
    public string DataDirectory => _dataDirectory;

    private static ServiceProvider Build(SandboxServer server, Dictionary<string, string?> values, string dataDirectory, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new SandboxTime(server.Services.GetRequiredService<SandboxClock>()));
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        services.AddDashboardAuthorization();
        services.AddInventory();
        services.AddKeyActions(dataDirectory);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Test", ClaimTypes.Name, ClaimTypes.Role));

    public static readonly ClaimsPrincipal Viewer = User("vera", DashboardRoles.Viewer);
    public static readonly ClaimsPrincipal Auditor = User("audrey", DashboardRoles.Auditor);
    public static readonly ClaimsPrincipal Operator = User("otto", DashboardRoles.Operator);
    public static readonly ClaimsPrincipal Admin = User("ada", DashboardRoles.Admin);
    public static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    /// <summary>Creates a multi-Region primary with optional replicas, tags and alias (straight through the SDK), and lets the replicas settle.</summary>
    public async Task<string> CreateKeySetAsync(string primaryRegion = "us-east-1", string[]? replicas = null, string? alias = null,
        Dictionary<string, string>? tags = null, string description = "test key")
    {
        var created = await Kms(primaryRegion).CreateKeyAsync(new Sdk.CreateKeyRequest
        {
            MultiRegion = true,
            Description = description,
            Tags = [.. (tags ?? new() { ["Team"] = "payments" }).Select(t => new Sdk.Tag { TagKey = t.Key, TagValue = t.Value })],
        });
        var keyId = created.KeyMetadata.KeyId;
        foreach (var replica in replicas ?? [])
            await Kms(primaryRegion).ReplicateKeyAsync(new Sdk.ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = replica });
        if (alias is not null)
            foreach (var region in new[] { primaryRegion }.Concat(replicas ?? []))
                await Kms(region).CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = alias, TargetKeyId = keyId });
        Settle();
        Sent.Clear();
        return keyId;
    }

    public async Task<string> CreateSingleRegionKeyAsync(string region = "us-east-1")
    {
        var keyId = (await Kms(region).CreateKeyAsync(new Sdk.CreateKeyRequest { Description = "single" })).KeyMetadata.KeyId;
        Sent.Clear();
        return keyId;
    }

    /// <summary>Moves the sandbox clock past Creating/Updating transitions.</summary>
    public void Settle() => Clock.Advance(TimeSpan.FromMinutes(1));

    public async Task<Sdk.KeyMetadata> DescribeAsync(string region, string keyId) =>
        (await Kms(region).DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = keyId })).KeyMetadata;

    /// <summary>Plans and executes as <paramref name="user"/>, typing the key id when the plan asks for it.</summary>
    public async Task<(ActionPlan Plan, ActionResult? Result)> RunAsync(ClaimsPrincipal user, KeyActionRequest request)
    {
        var plan = await Operations.PlanAsync(user, request, CancellationToken.None);
        if (!plan.CanExecute) return (plan, null);
        var result = await Operations.ExecuteAsync(user, plan, plan.KeyId, CancellationToken.None);
        return (plan, result);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _services.DisposeAsync();
        foreach (var (other, _) in _others) await other.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var directory in _others.Select(o => o.Directory).Append(_dataDirectory))
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class SandboxTime(SandboxClock clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.UtcNow;
    }
}
