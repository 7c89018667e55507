using System.Collections.Concurrent;
using System.Security.Claims;
using Amazon.KeyManagementService;
using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Actions;

/// <summary>
/// A fresh sandbox (no demo seed) with the real Core services wired to it: AWS clients, inventory, journal (SQLite in a
/// temp directory), policies and <see cref="KeyOperations"/>; plus the users and the sandbox's own view of what was sent.
/// </summary>
internal sealed class ActionsHarness : IAsyncDisposable
{
    public static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];

    private readonly SandboxAppHarness _app;

    private ActionsHarness(SandboxAppHarness app) => _app = app;

    public SandboxServer Server => _app.Server;
    public ConcurrentQueue<SandboxCall> Sent => _app.Sent;
    public KeyOperations Operations => _app.Get<KeyOperations>();
    public IServiceProvider Services => _app.Services;
    public ActionJournal Journal => _app.Get<ActionJournal>();
    public KeyInventory Inventory => _app.Get<KeyInventory>();
    public SandboxClock Clock => _app.Clock;
    public SandboxFaults Faults => _app.Faults;
    public IAmazonKeyManagementService Kms(string region) => _app.Kms(region);

    /// <summary>Calls that change something (the sandbox marks reads ReadOnly).</summary>
    public IReadOnlyList<SandboxCall> Writes => [.. Sent.Where(c => !c.ReadOnly)];

    /// <param name="more">More registrations for the container (e.g. a test-only key action).</param>
    public static async Task<ActionsHarness> StartAsync(bool readOnly = false, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? more = null) =>
        new(await SandboxAppHarness.Create("actions")
            .InRegions(Regions)
            .ConfigureSandbox(o =>
            {
                o.ReplicaCreationDuration = TimeSpan.FromSeconds(30);
                o.PrimaryRegionUpdateDuration = TimeSpan.FromSeconds(30);
            })
            .With("Safety:ReadOnly", readOnly ? "true" : "false")
            // The background last-use fill would race the tests that count the calls sent.
            .With("Inventory:ReadLastUse", "false")
            .With(settings)
            .WithServices((services, data) =>
            {
                services.AddKeyActions(data);
                more?.Invoke(services);
            })
            .StartAsync());

    /// <summary>
    /// A second app over the same sandbox, reading its journal from <paramref name="dataDirectory"/> (e.g. a copy of this
    /// one's, taken mid-action, as a crashed process would leave it); disposed with the harness.
    /// </summary>
    public IServiceProvider StartAnotherApp(string dataDirectory) => _app.StartAnotherApp(dataDirectory);

    /// <summary>The journal's data directory.</summary>
    public string DataDirectory => _app.DataDirectory;

    public static ClaimsPrincipal User(string name, params string[] roles) => SandboxAppHarness.User(name, roles);

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

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
