using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Dependents;

/// <summary>
/// A fresh sandbox (no demo seed) with the real Core services wired to it: AWS clients, inventory, CloudTrail clients,
/// the bucket catalog, the dependents service and the object scans (state under a temp data directory).
/// </summary>
internal sealed class DependentsHarness : IAsyncDisposable
{
    public static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-southeast-1"];
    public static readonly string[] DemoRegions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    private readonly ServiceProvider _services;
    private readonly string _dataDirectory;

    private DependentsHarness(SandboxServer server, ServiceProvider services, string dataDirectory)
    {
        Server = server;
        _services = services;
        _dataDirectory = dataDirectory;
    }

    public SandboxServer Server { get; }
    public AwsClients Clients => _services.GetRequiredService<AwsClients>();
    public KeyInventory Inventory => _services.GetRequiredService<KeyInventory>();
    public DependentsService Dependents => _services.GetRequiredService<DependentsService>();
    public BucketCatalog Buckets => _services.GetRequiredService<BucketCatalog>();
    public KeyOperations Operations => _services.GetRequiredService<KeyOperations>();
    public ObjectScanner Scanner => _services.GetRequiredService<ObjectScanner>();
    public ObjectScans Scans => _services.GetRequiredService<ObjectScans>();
    public SandboxClock Clock => Server.Services.GetRequiredService<SandboxClock>();
    public SandboxFaults Faults => Server.Services.GetRequiredService<SandboxFaults>();
    public IAmazonKeyManagementService Kms(string region) => Clients.Kms(region);
    public IAmazonS3 S3(string region) => Clients.S3(region);

    public static async Task<DependentsHarness> StartAsync(Dictionary<string, string?>? extra = null, bool seedDemo = false)
    {
        var regions = seedDemo ? DemoRegions : Regions;
        var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            SeedDemoAccount = seedDemo,
            EnforceQuotas = false,
            ReplicaCreationDuration = TimeSpan.FromSeconds(30),
        });
        var dataDirectory = Path.Combine(Path.GetTempPath(), "kmsdashboard-dependents-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Sandbox",
            ["Backend:ServiceUrl"] = server.Url.ToString(),
            ["Storage:DataDirectory"] = dataDirectory,
            ["Inventory:ReadLastUse"] = "false",
        };
        for (var i = 0; i < regions.Length; i++) settings[$"Backend:Regions:{i}"] = regions[i];
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new SandboxTime(server.Services.GetRequiredService<SandboxClock>()));
        services.AddOptions<BackendOptions>().BindConfiguration(BackendOptions.Section);
        services.AddDashboardAuthorization();
        services.AddInventory();
        services.AddKeyActions(dataDirectory);
        services.AddDependents();
        return new DependentsHarness(server, services.BuildServiceProvider(), dataDirectory);
    }

    /// <summary>A KMS client signing as one of the sandbox's named principals (DemoAccessKeys), for CloudTrail callers.</summary>
    public AmazonKeyManagementServiceClient KmsAs(string region, string accessKeyId) =>
        new(new BasicAWSCredentials(accessKeyId, "secret"), new AmazonKeyManagementServiceConfig { ServiceURL = Server.Url.ToString(), AuthenticationRegion = region });

    public async Task<string> CreateKeySetAsync(string primaryRegion, string[] replicas, string? alias = null)
    {
        var keyId = (await Kms(primaryRegion).CreateKeyAsync(new Sdk.CreateKeyRequest { MultiRegion = true, Description = "dependents test" })).KeyMetadata.KeyId;
        foreach (var replica in replicas)
            await Kms(primaryRegion).ReplicateKeyAsync(new Sdk.ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = replica });
        Clock.Advance(TimeSpan.FromMinutes(1));
        if (alias is not null)
            foreach (var region in replicas.Prepend(primaryRegion))
                await Kms(region).CreateAliasAsync(new Sdk.CreateAliasRequest { AliasName = alias, TargetKeyId = keyId });
        return keyId;
    }

    public string Arn(string region, string keyId) => $"arn:aws:kms:{region}:111122223333:key/{keyId}";

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
