using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.S3;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.Core.Tests.Dependents;

/// <summary>
/// A fresh sandbox (no demo seed) with the real Core services wired to it: AWS clients, inventory, CloudTrail clients,
/// the bucket catalog, the dependents service and the object scans (state under a temp data directory).
/// </summary>
internal sealed class DependentsHarness : IAsyncDisposable
{
    public static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-southeast-1"];
    public static readonly string[] DemoRegions = SandboxAppHarness.DemoRegions;

    private readonly SandboxAppHarness _app;

    private DependentsHarness(SandboxAppHarness app) => _app = app;

    public SandboxServer Server => _app.Server;
    public AwsClients Clients => _app.Clients;
    public KeyInventory Inventory => _app.Get<KeyInventory>();
    public DependentsService Dependents => _app.Get<DependentsService>();
    public BucketCatalog Buckets => _app.Get<BucketCatalog>();
    public KeyOperations Operations => _app.Get<KeyOperations>();
    public ObjectScanner Scanner => _app.Get<ObjectScanner>();
    public ObjectScans Scans => _app.Get<ObjectScans>();
    public SandboxClock Clock => _app.Clock;
    public SandboxFaults Faults => _app.Faults;
    public IAmazonKeyManagementService Kms(string region) => Clients.Kms(region);
    public IAmazonS3 S3(string region) => Clients.S3(region);

    public static async Task<DependentsHarness> StartAsync(Dictionary<string, string?>? extra = null, bool seedDemo = false)
    {
        var app = SandboxAppHarness.Create("dependents").InRegions(Regions);
        if (seedDemo) app.SeedDemoAccount();
        return new(await app
            .ConfigureSandbox(o => o.ReplicaCreationDuration = TimeSpan.FromSeconds(30))
            .With("Inventory:ReadLastUse", "false")
            .With(extra)
            .WithServices((services, data) =>
            {
                services.AddKeyActions(data);
                services.AddDependents();
            })
            .StartAsync());
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

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
