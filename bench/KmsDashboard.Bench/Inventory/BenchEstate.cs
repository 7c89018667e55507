using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;

namespace KmsDashboard.Bench.Inventory;

/// <summary>Seeds the benchmark's key estate through the SDK: per Region N customer managed keys, half of them multi-Region with 2–4 replicas.</summary>
internal static class BenchEstate
{
    public static readonly string[] Regions =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-north-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    ];

    public static async Task SeedAsync(AwsClients clients, IReadOnlyList<string> regions, int keysPerRegion)
    {
        // Replicas go 3 Regions apart over the 17 Regions (as always); over fewer Regions (6 per account with accounts=n),
        // 1 apart, so that no replica lands in its primary's Region.
        var stride = regions.Count > 12 && regions.Count % 3 != 0 ? 3 : 1;
        await Task.WhenAll(regions.Select((region, r) => Parallel.ForEachAsync(Enumerable.Range(0, keysPerRegion),
            new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var kms = clients.Kms(region);
                var multi = i % 2 == 0;
                var key = (await kms.CreateKeyAsync(new CreateKeyRequest
                {
                    MultiRegion = multi,
                    Description = $"bench key {i} of {region}",
                    Tags = [new Tag { TagKey = "Team", TagValue = $"team-{i % 7}" }, new Tag { TagKey = "Environment", TagValue = i % 3 == 0 ? "prod" : "dev" }],
                }, ct)).KeyMetadata;
                await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = $"alias/bench-{region}-{i}", TargetKeyId = key.KeyId }, ct);
                if (i % 4 == 0) await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId }, ct);
                if (!multi) return;
                var replicas = 2 + i % 3;
                for (var k = 1; k <= replicas; k++)
                {
                    var target = regions[(r + k * stride) % regions.Count];
                    await kms.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = key.KeyId, ReplicaRegion = target }, ct);
                }
            })));
    }
}
