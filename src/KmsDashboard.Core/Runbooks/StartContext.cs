using Amazon.KeyManagementService;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.Accounts;
using KmsDashboard.Core.Dependents;

namespace KmsDashboard.Core.Runbooks;

/// <summary>
/// What a definition may use to check start inputs: the KMS clients and Regions of the runbook's account, its bucket
/// catalog, and the time.
/// </summary>
public sealed class StartContext(AwsClients clients, DateTimeOffset now, RunbookOptions options)
{
    public IReadOnlyList<string> Regions => clients.Regions;
    public DateTimeOffset Now => now;
    public RunbookOptions Options => options;
    public IAmazonKeyManagementService Kms(string region) => clients.Kms(region);

    /// <summary>The account the runbook will work in (the default account in the single-account set-up).</summary>
    public AwsAccount? Account { get; init; }

    /// <summary>That account's S3 bucket catalog (null when the dependents model is not configured).</summary>
    public AccountBucketCatalog? Buckets { get; init; }

    internal Actions.KmsReader Reader => new(clients);
}
