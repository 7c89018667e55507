using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests.Findings;

/// <summary>
/// The sandbox's demo account with the real Core services wired to it as the app wires them: inventory, key actions and
/// journal, the bucket catalog and dependents, Region health and the findings service (stores under a temp directory).
/// The clock is the sandbox's, so moving it forward expires suppressions.
/// </summary>
internal sealed class FindingsHarness : IAsyncDisposable
{
    public static readonly string[] DemoRegions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    private readonly ServiceProvider _services;
    private readonly string _dataDirectory;

    private FindingsHarness(SandboxServer server, ServiceProvider services, string dataDirectory)
    {
        Server = server;
        _services = services;
        _dataDirectory = dataDirectory;
    }

    public SandboxServer Server { get; }
    public IServiceProvider Services => _services;
    public AwsClients Clients => _services.GetRequiredService<AwsClients>();
    public KeyInventory Inventory => _services.GetRequiredService<KeyInventory>();
    public FindingsService Findings => _services.GetRequiredService<FindingsService>();
    public ActionJournal Journal => _services.GetRequiredService<ActionJournal>();
    public RegionHealth Health => _services.GetRequiredService<RegionHealth>();
    public SandboxClock Clock => Server.Services.GetRequiredService<SandboxClock>();
    public SandboxFaults Faults => Server.Services.GetRequiredService<SandboxFaults>();

    public static async Task<FindingsHarness> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions { SeedDemoAccount = true, EnforceQuotas = false });
        var dataDirectory = Path.Combine(Path.GetTempPath(), "kmsdashboard-findings-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Sandbox",
            ["Backend:ServiceUrl"] = server.Url.ToString(),
            ["Storage:DataDirectory"] = dataDirectory,
            ["Inventory:ReadLastUse"] = "false",
            ["Inventory:BackgroundRefresh"] = "false",
            ["RegionHealth:ProbeTimeout"] = "00:00:03",
        };
        for (var i = 0; i < DemoRegions.Length; i++) settings[$"Backend:Regions:{i}"] = DemoRegions[i];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new SandboxTime(server.Services.GetRequiredService<SandboxClock>()));
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        services.AddOptions<RegionHealthOptions>().BindConfiguration(RegionHealthOptions.Section);
        services.AddSingleton<RegionHealth>();
        services.AddDashboardAuthorization();
        services.AddInventory();
        services.AddKeyActions(dataDirectory);
        services.AddDependents();
        services.AddFindings(dataDirectory);
        configure?.Invoke(services);
        return new FindingsHarness(server, services.BuildServiceProvider(), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private sealed class SandboxTime(SandboxClock clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.UtcNow;
    }
}

/// <summary>One demo account evaluated once, shared by the per-check tests.</summary>
public sealed class DemoFindingsFixture : IAsyncLifetime
{
    internal FindingsHarness Harness { get; private set; } = default!;
    public FindingsReport Report { get; private set; } = FindingsReport.Empty;

    public async Task InitializeAsync()
    {
        Harness = await FindingsHarness.StartAsync();
        await Harness.Inventory.RefreshAsync(CancellationToken.None);
        await Harness.Health.ProbeAllAsync();
        Report = await Harness.Findings.EvaluateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    public IReadOnlyList<FindingView> Of(FindingCheck check) => [.. Report.Findings.Where(f => f.Check.Id == check.Id && f.IsOpen)];

    public FindingView Single(FindingCheck check, string keyName, string? region = null) =>
        Assert.Single(Of(check), f => f.KeyName.StartsWith(keyName, StringComparison.Ordinal) && (region is null || f.Region == region));
}
