using System.Collections.Concurrent;
using System.Security.Claims;
using Amazon.KeyManagementService;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests;

/// <summary>
/// A sandbox on a free loopback port with the dashboard's real Core services over it, wired as the app wires them:
/// configuration (Backend in Sandbox mode, the Regions, a temp data directory), logging, the sandbox's clock as the
/// <see cref="TimeProvider"/>, authorization, AWS clients and inventory, plus the feature registrations the builder adds.
/// It records the calls the sandbox served, can rebuild its container over the same files (a restarted app) and start a
/// second app over another data directory. The feature harnesses of the Core tests and the actions bench are built on it
/// (the bench links this file), so it uses no test framework.
/// </summary>
internal sealed class SandboxAppHarness : IAsyncDisposable
{
    /// <summary>The demo account's Regions.</summary>
    public static readonly string[] DemoRegions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    private readonly Builder _builder;
    private readonly IDisposable _subscription;
    private readonly List<(ServiceProvider Services, string Directory)> _others = [];
    private ServiceProvider _services;

    private SandboxAppHarness(SandboxServer server, Builder builder)
    {
        Server = server;
        _builder = builder;
        DataDirectory = Path.Combine(Path.GetTempPath(), $"kmsdashboard-{builder.Name}-{Guid.NewGuid():N}");
        _services = Build(DataDirectory);
        _subscription = server.Services.GetRequiredService<SandboxCallLog>().Subscribe(call =>
        {
            if (builder.Record(call)) Sent.Enqueue(call);
        });
    }

    /// <summary>Starts a harness: <c>await SandboxAppHarness.Create("findings").SeedDemoAccount().WithServices(...).StartAsync()</c>.</summary>
    public static Builder Create(string name) => new(name);

    public SandboxServer Server { get; }

    /// <summary>The app's data directory (SQLite stores), deleted on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>The Regions the app is configured with.</summary>
    public string[] Regions => _builder.Regions;

    /// <summary>The calls the sandbox served that the builder's filter keeps (by default: KMS API calls).</summary>
    public ConcurrentQueue<SandboxCall> Sent { get; } = new();

    /// <summary>The current service container (a new one after <see cref="RestartAsync"/>).</summary>
    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();
    public AwsClients Clients => Get<AwsClients>();
    public IAmazonKeyManagementService Kms(string region) => Clients.Kms(region);
    public SandboxClock Clock => Server.Services.GetRequiredService<SandboxClock>();
    public SandboxControl Control => Server.Services.GetRequiredService<SandboxControl>();
    public SandboxFaults Faults => Server.Services.GetRequiredService<SandboxFaults>();

    /// <summary>A new service container over the same data directory: nothing in memory survives (issued plans, leases, clients).</summary>
    public async Task RestartAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _services = Build(DataDirectory);
    }

    /// <summary>
    /// A second app over the same sandbox with its data in <paramref name="dataDirectory"/> (e.g. a copy of this one's, taken
    /// mid-action, as a crashed process would leave it); disposed, and its directory deleted, with the harness.
    /// </summary>
    public IServiceProvider StartAnotherApp(string dataDirectory)
    {
        var services = Build(dataDirectory);
        _others.Add((services, dataDirectory));
        return services;
    }

    private ServiceProvider Build(string dataDirectory) =>
        BuildServices(Server.Url, dataDirectory, _builder.Regions, _builder.UseSandboxClock ? new SandboxTime(Clock) : null, _builder.Settings, _builder.AddServices);

    /// <summary>
    /// The dashboard's Core services over the sandbox at <paramref name="sandboxUrl"/>: configuration, logging, the
    /// <paramref name="time"/> (when given), authorization, AWS clients and inventory, then <paramref name="add"/>.
    /// </summary>
    public static ServiceProvider BuildServices(Uri sandboxUrl, string dataDirectory, IReadOnlyList<string> regions, TimeProvider? time,
        IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection, string> add)
    {
        var values = new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Sandbox",
            ["Backend:ServiceUrl"] = sandboxUrl.ToString(),
            ["Storage:DataDirectory"] = dataDirectory,
        };
        for (var i = 0; i < regions.Count; i++) values[$"Backend:Regions:{i}"] = regions[i];
        foreach (var (name, value) in settings) values[name] = value;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        if (time is not null) services.AddSingleton(time);
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        services.AddDashboardAuthorization();
        services.AddInventory();
        add(services, dataDirectory);
        return services.BuildServiceProvider();
    }

    /// <summary>A signed-in user with exactly <paramref name="roles"/>.</summary>
    public static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Test", ClaimTypes.Name, ClaimTypes.Role));

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _services.DisposeAsync();
        foreach (var (other, _) in _others) await other.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var directory in _others.Select(o => o.Directory).Append(DataDirectory))
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>What to start: the sandbox's options, the app's Regions and settings, and the feature services.</summary>
    public sealed class Builder
    {
        internal Builder(string name) => Name = name;

        internal string Name { get; }
        internal string[] Regions { get; private set; } = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];
        internal Dictionary<string, string?> Settings { get; } = [];
        internal bool UseSandboxClock { get; private set; } = true;
        internal Func<SandboxCall, bool> Record { get; private set; } = call => call.Service == "kms" && call.EventType == "AwsApiCall";
        internal Action<IServiceCollection, string> AddServices { get; private set; } = (_, _) => { };

        /// <summary>The sandbox's options; by default no demo seed and no quotas.</summary>
        public SandboxOptions Sandbox { get; } = new() { SeedDemoAccount = false, EnforceQuotas = false };

        /// <summary>Seeds the demo account and configures its six Regions.</summary>
        public Builder SeedDemoAccount()
        {
            Sandbox.SeedDemoAccount = true;
            return InRegions(DemoRegions);
        }

        public Builder InRegions(params string[] regions)
        {
            Regions = regions;
            return this;
        }

        public Builder ConfigureSandbox(Action<SandboxOptions> configure)
        {
            configure(Sandbox);
            return this;
        }

        /// <summary>Configuration values (e.g. <c>Inventory:ReadLastUse</c>); later ones win.</summary>
        public Builder With(IEnumerable<KeyValuePair<string, string?>>? settings)
        {
            foreach (var (name, value) in settings ?? []) Settings[name] = value;
            return this;
        }

        public Builder With(string name, string? value) => With([new(name, value)]);

        /// <summary>The feature registrations (e.g. <c>AddKeyActions(dataDirectory)</c>), given the data directory; added in order.</summary>
        public Builder WithServices(Action<IServiceCollection, string> add)
        {
            var before = AddServices;
            AddServices = (services, directory) => { before(services, directory); add(services, directory); };
            return this;
        }

        /// <summary>Leaves <see cref="TimeProvider"/> to the services' own default instead of the sandbox's clock.</summary>
        public Builder WithSystemTime()
        {
            UseSandboxClock = false;
            return this;
        }

        /// <summary>Which served calls <see cref="Sent"/> keeps.</summary>
        public Builder Recording(Func<SandboxCall, bool> record)
        {
            Record = record;
            return this;
        }

        public async Task<SandboxAppHarness> StartAsync() => new(await SandboxServer.StartAsync(Sandbox), this);
    }

    private sealed class SandboxTime(SandboxClock clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.UtcNow;
    }
}
