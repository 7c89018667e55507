using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests;

/// <summary>A sandbox on a free loopback port with real SDK clients per Region; by default empty and unthrottled.</summary>
public sealed class SandboxHarness : IAsyncDisposable
{
    private readonly Dictionary<string, AmazonKeyManagementServiceClient> _clients = [];

    private SandboxHarness(SandboxServer server) => Server = server;

    public SandboxServer Server { get; }
    public SandboxControl Control => Server.Services.GetRequiredService<SandboxControl>();
    public SandboxCallLog CallLog => Server.Services.GetRequiredService<SandboxCallLog>();

    public static async Task<SandboxHarness> StartAsync(bool seedDemo = false, bool enforceQuotas = false, Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { SeedDemoAccount = seedDemo, EnforceQuotas = enforceQuotas };
        configure?.Invoke(options);
        return new SandboxHarness(await SandboxServer.StartAsync(options));
    }

    public AmazonKeyManagementServiceClient Kms(string region, int maxErrorRetry = 2)
    {
        var name = $"{region}/{maxErrorRetry}";
        if (!_clients.TryGetValue(name, out var client))
            _clients[name] = client = new AmazonKeyManagementServiceClient(new BasicAWSCredentials("AKIDSANDBOXTEST", "secret"),
                new AmazonKeyManagementServiceConfig { ServiceURL = Server.Url.ToString(), AuthenticationRegion = region, MaxErrorRetry = maxErrorRetry });
        return client;
    }

    /// <summary>Moves the sandbox clock so Creating/Updating end, windows pass and rotations fall due.</summary>
    public void Advance(TimeSpan by) => Control.Advance(by);

    public async Task<KeyMetadata> CreateKeyAsync(string region, bool multiRegion = false, string description = "")
        => (await Kms(region).CreateKeyAsync(new CreateKeyRequest { MultiRegion = multiRegion, Description = description })).KeyMetadata;

    /// <summary>Creates a multi-Region primary and replicas, then lets the replicas finish Creating.</summary>
    public async Task<string> CreateMultiRegionKeyAsync(string primaryRegion, params string[] replicaRegions)
    {
        var key = await CreateKeyAsync(primaryRegion, multiRegion: true);
        foreach (var region in replicaRegions)
            await Kms(primaryRegion).ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = key.KeyId, ReplicaRegion = region });
        Advance(TimeSpan.FromMinutes(1));
        return key.KeyId;
    }

    public async Task<KeyMetadata> DescribeAsync(string region, string keyId) =>
        (await Kms(region).DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata;

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await Server.DisposeAsync();
    }
}
