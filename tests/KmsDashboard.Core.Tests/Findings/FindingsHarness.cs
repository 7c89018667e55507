using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Findings;

/// <summary>
/// The sandbox's demo account with the real Core services wired to it as the app wires them: inventory, key actions and
/// journal, the bucket catalog and dependents, Region health and the findings service (stores under a temp directory).
/// The clock is the sandbox's, so moving it forward expires suppressions.
/// </summary>
internal sealed class FindingsHarness : IAsyncDisposable
{
    public static readonly string[] DemoRegions = SandboxAppHarness.DemoRegions;

    private readonly SandboxAppHarness _app;

    private FindingsHarness(SandboxAppHarness app) => _app = app;

    public SandboxServer Server => _app.Server;
    public IServiceProvider Services => _app.Services;
    public AwsClients Clients => _app.Clients;
    public KeyInventory Inventory => _app.Get<KeyInventory>();
    public FindingsService Findings => _app.Get<FindingsService>();
    public ActionJournal Journal => _app.Get<ActionJournal>();
    public RegionHealth Health => _app.Get<RegionHealth>();
    public SandboxClock Clock => _app.Clock;
    public SandboxFaults Faults => _app.Faults;

    public static async Task<FindingsHarness> StartAsync(Action<IServiceCollection>? configure = null) =>
        new(await SandboxAppHarness.Create("findings")
            .SeedDemoAccount()
            .With("Inventory:ReadLastUse", "false")
            .With("Inventory:BackgroundRefresh", "false")
            .With("RegionHealth:ProbeTimeout", "00:00:03")
            .WithServices((services, data) =>
            {
                services.AddOptions<RegionHealthOptions>().BindConfiguration(RegionHealthOptions.Section);
                services.AddSingleton<RegionHealth>();
                services.AddKeyActions(data);
                services.AddDependents();
                services.AddFindings(data);
                configure?.Invoke(services);
            })
            .StartAsync());

    public ValueTask DisposeAsync() => _app.DisposeAsync();
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
