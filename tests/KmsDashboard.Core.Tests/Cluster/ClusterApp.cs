using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Cluster;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>
/// One dashboard instance of a cluster with the app's registrations (inventory, key actions and journal, dependents,
/// findings, then <c>AddCluster</c>) on <c>Storage:Provider=Postgres</c>, its hosted services started as the host would.
/// </summary>
internal sealed class ClusterApp : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted;
    private readonly string _directory;

    private ClusterApp(ServiceProvider services, List<IHostedService> hosted, string directory, Evaluations evaluations)
    {
        EvaluationsHere = evaluations;
        _services = services;
        _hosted = hosted;
        _directory = directory;
    }

    public KeyInventory Inventory => _services.GetRequiredService<KeyInventory>();
    public FindingsService Findings => _services.GetRequiredService<FindingsService>();
    public InventoryCluster Cluster => _services.GetRequiredService<InventoryCluster>();

    /// <summary>How many evaluations this instance itself ran (from its findings service's log).</summary>
    public Evaluations EvaluationsHere { get; }

    public static async Task<ClusterApp> StartAsync(string name, string connectionString, Uri sandbox, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = connectionString,
            ["Cluster:InstanceName"] = name,
            ["Cluster:LeaderCheckInterval"] = "00:00:00.5",
            ["Cluster:PublishInterval"] = "00:00:00.2",
            ["Inventory:ReadLastUse"] = "false",
            ["Inventory:RefreshInterval"] = "00:10:00",
            ["RegionHealth:ProbeTimeout"] = "00:00:03",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var directory = Path.Combine(Path.GetTempPath(), $"kmsdashboard-cluster-{name}-{Guid.NewGuid():N}");
        var evaluations = new Evaluations();
        var services = SandboxAppHarness.BuildServices(sandbox, directory, SandboxAppHarness.DemoRegions, null, settings, (s, data) =>
        {
            s.AddLogging(b => b.AddProvider(evaluations).AddFilter<Evaluations>(typeof(FindingsService).FullName, LogLevel.Information));
            s.AddOptions<RegionHealthOptions>().BindConfiguration(RegionHealthOptions.Section);
            s.AddSingleton<RegionHealth>();
            s.AddKeyActions(data);
            s.AddDependents();
            s.AddFindings(data);
            s.AddCluster(configuration);
        });
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted) await service.StartAsync(CancellationToken.None);
        return new ClusterApp(services, hosted, directory, evaluations);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_hosted))
        {
            try { await service.StopAsync(CancellationToken.None); } catch (OperationCanceledException) { }
        }
        await _services.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Counts the "Findings evaluated" lines <see cref="FindingsService"/> logs after each evaluation it ran itself.</summary>
    internal sealed class Evaluations : ILoggerProvider, ILogger
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => categoryName == typeof(FindingsService).FullName ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).StartsWith("Findings evaluated:", StringComparison.Ordinal)) Interlocked.Increment(ref _count);
        }

        public void Dispose() { }
    }
}
