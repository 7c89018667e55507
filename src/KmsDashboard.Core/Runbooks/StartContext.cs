using Amazon.KeyManagementService;
using KmsDashboard.Core.Aws;

namespace KmsDashboard.Core.Runbooks;

/// <summary>What a definition may use to check start inputs: the KMS clients, the configured Regions and the time.</summary>
public sealed class StartContext(AwsClients clients, DateTimeOffset now, RunbookOptions options)
{
    public IReadOnlyList<string> Regions => clients.Regions;
    public DateTimeOffset Now => now;
    public RunbookOptions Options => options;
    public IAmazonKeyManagementService Kms(string region) => clients.Kms(region);

    internal Actions.KmsReader Reader => new(clients);
}
