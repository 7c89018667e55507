using System.Collections.Concurrent;
using System.Security.Claims;
using Amazon.KeyManagementService;
using Sdk = Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Rotation;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Usage;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>
/// A fresh sandbox with the real Core services over it, the runbook store in a temp directory, and the sandbox's own
/// record of every KMS call. <see cref="RestartAsync"/> throws the service container away and builds a new one over the
/// same SQLite files, as a crashed and restarted app would.
/// </summary>
internal sealed class RunbookHarness : IAsyncDisposable
{
    public static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];

    /// <summary>The demo account's Regions.</summary>
    public static readonly string[] DemoRegions = SandboxAppHarness.DemoRegions;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Runbooks:ReplicaWait"] = "00:00:20",
        ["Runbooks:ReplicaPoll"] = "00:00:00.200",
        ["Runbooks:MaxCloudTrailEventsPerRegion"] = "50",
    };

    private readonly SandboxAppHarness _app;

    private RunbookHarness(SandboxAppHarness app) => _app = app;

    public SandboxServer Server => _app.Server;

    /// <summary>The temp data directory's name (the store is <c>runbooks.db</c> in it).</summary>
    public string DataDirectoryName => Path.GetFileName(_app.DataDirectory);

    public string StorePath => Path.Combine(_app.DataDirectory, RunbookStore.FileName);
    public ConcurrentQueue<SandboxCall> Sent => _app.Sent;
    public RunbookService Runbooks => _app.Get<RunbookService>();
    public ActionJournal Journal => _app.Get<ActionJournal>();
    public KeyInventory Inventory => _app.Get<KeyInventory>();
    public SandboxClock Clock => _app.Clock;
    public SandboxFaults Faults => _app.Faults;
    public IAmazonKeyManagementService Kms(string region) => _app.Kms(region);

    /// <summary>
    /// How many successful KMS or S3 calls of <paramref name="operation"/> the sandbox served (in <paramref name="region"/>). The
    /// sandbox also records a CreateKey in each replica's Region for ReplicateKey, as CloudTrail does; count CreateKey by Region.
    /// </summary>
    public int Count(string operation, string? region = null) =>
        Sent.Count(c => c.Operation == operation && c.ErrorCode is null && (region is null || c.Region == region));

    /// <param name="demo">Seed the demo account (its keys carry the traffic generator's modelled use).</param>
    public static async Task<RunbookHarness> StartAsync(bool readOnly = false, bool demo = false)
    {
        var app = SandboxAppHarness.Create("runbooks").InRegions(Regions);
        if (demo) app.SeedDemoAccount();
        return new(await app
            .ConfigureSandbox(o => o.ReplicaCreationDuration = TimeSpan.FromSeconds(1))
            .With("Safety:ReadOnly", readOnly ? "true" : "false")
            .With(Settings)
            .WithServices(AddServices)
            .Recording(call => call.Service is "kms" or "s3" && call.EventType == "AwsApiCall")
            .StartAsync());
    }

    /// <summary>A new service container over the same store: nothing in memory survives (issued plans, leases in memory, clients).</summary>
    public Task RestartAsync() => _app.RestartAsync();

    /// <summary>The dashboard's Core services (journal, inventory, usage, audit, runbooks, wizards) over the sandbox at <paramref name="sandboxUrl"/>.</summary>
    /// <param name="extraSettings">More settings (e.g. <c>Safety:RequireApproval</c>).</param>
    /// <param name="more">More registrations for the container (e.g. the approvals).</param>
    public static ServiceProvider BuildServices(Uri sandboxUrl, string dataDirectory, string[] regions, TimeProvider time, bool readOnly = false,
        IReadOnlyDictionary<string, string?>? extraSettings = null, Action<IServiceCollection>? more = null)
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Safety:ReadOnly"] = readOnly ? "true" : "false" };
        foreach (var (name, value) in extraSettings ?? new Dictionary<string, string?>()) settings[name] = value;
        return SandboxAppHarness.BuildServices(sandboxUrl, dataDirectory, regions, time, settings, (services, data) =>
        {
            AddServices(services, data);
            more?.Invoke(services);
        });
    }

    private static void AddServices(IServiceCollection services, string dataDirectory)
    {
        services.AddKeyActions(dataDirectory);
        services.AddUsage();
        services.AddDashboardAudit();
        services.AddRunbooks(dataDirectory);
        services.AddRotationWizards();
    }

    public static ClaimsPrincipal User(string name, params string[] roles) => SandboxAppHarness.User(name, roles);

    public static readonly ClaimsPrincipal Viewer = User("vera", DashboardRoles.Viewer);
    public static readonly ClaimsPrincipal Operator = User("otto", DashboardRoles.Operator);
    public static readonly ClaimsPrincipal SecondOperator = User("olga", DashboardRoles.Operator);
    public static readonly ClaimsPrincipal Admin = User("ada", DashboardRoles.Admin);

    /// <summary>A multi-Region primary in us-east-1 with replicas, one alias in every Region, rotation on; settled.</summary>
    public async Task<string> CreateKeySetAsync(string alias = "alias/payments", string[]? replicas = null, bool rotation = true)
    {
        replicas ??= ["us-west-2", "eu-west-1"];
        var created = await Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest
        {
            MultiRegion = true, Description = "payments",
            Tags = [new Sdk.Tag { TagKey = "Team", TagValue = "payments" }],
        });
        var keyId = created.KeyMetadata.KeyId;
        if (rotation) await Kms("us-east-1").EnableKeyRotationAsync(new Sdk.EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 180 });
        foreach (var replica in replicas)
            await Kms("us-east-1").ReplicateKeyAsync(new Sdk.ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = replica });
        Clock.Advance(TimeSpan.FromMinutes(1));
        foreach (var region in new[] { "us-east-1" }.Concat(replicas))
            await Kms(region).CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = alias, TargetKeyId = keyId });
        Sent.Clear();
        return keyId;
    }

    public async Task<Guid> StartRotationAsync(string keyId, int drainHours = 1)
    {
        var (id, problems) = await Runbooks.StartAsync(Operator, new ManualRotationInputs { KeyId = keyId, DrainHours = drainHours }, default);
        Assert.Empty(problems);
        return id!.Value;
    }

    /// <summary>Plans the current step as <paramref name="user"/> and, when it can run, executes it typing the first confirmation text.</summary>
    public async Task<(RunbookPlan Plan, StepRunResult? Result)> RunNextAsync(Guid id, ClaimsPrincipal? user = null, RunbookStepOptions? options = null)
    {
        user ??= Operator;
        var plan = await Runbooks.PlanStepAsync(user, id, options, default);
        if (!plan.CanExecute) return (plan, null);
        var result = await Runbooks.ExecuteAsync(user, plan, plan.ConfirmationTexts.FirstOrDefault(), default);
        return (plan, result);
    }

    /// <summary>Runs the current step and asserts it ended in <paramref name="expected"/>.</summary>
    public async Task<StepRunResult> RunStepAsync(Guid id, string name, ClaimsPrincipal? user = null, RunbookStepOptions? options = null,
        RunbookStepState? expected = null)
    {
        var (plan, result) = await RunNextAsync(id, user, options);
        Assert.True(plan.StepName == name, $"Expected step {name}, the runbook is at {plan.StepName}.");
        Assert.True(result is not null, $"{name} could not run: {plan.Status} {string.Join(" ", plan.Problems)}");
        Assert.False(result.Refused, result.Summary);
        Assert.True(expected is null ? result.State is RunbookStepState.Done or RunbookStepState.Skipped : result.State == expected,
            $"{name}: {result.State}, expected {expected?.ToString() ?? "Done"}. {result.Summary} " +
            string.Join(" ", result.Regions.Select(r => $"[{r.Region} {r.State}: {r.Message}]")));
        return result;
    }

    public async Task<Sdk.KeyMetadata> DescribeAsync(string region, string keyId) =>
        (await Kms(region).DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = keyId })).KeyMetadata;

    public async Task<KeySetRunbookState> StateAsync(Guid id)
    {
        var view = await Runbooks.GetAsync(id, default);
        return System.Text.Json.JsonSerializer.Deserialize<KeySetRunbookState>(view!.Runbook.State, new System.Text.Json.JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
