using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Moto;

/// <summary>
/// The client layer's read path against moto, an emulator it did not write: keys made there with the real SDK
/// (a multi-Region key and its replica, aliases, tags) are listed and described across two Regions.
/// Only what moto gets right is asserted (moto's replicas are shallow copies: they still say PRIMARY).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class MotoPeerTests(MotoServer moto)
{
    private const string Home = "us-east-1";
    private const string Away = "eu-west-1";

    private sealed record Seeded(string MultiRegionKeyId, string SingleRegionKeyId, string HomeAlias, string AwayAlias);

    private static async Task<Seeded> SeedAsync(AwsClients clients)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var home = clients.Kms(Home);
        var mrk = (await home.CreateKeyAsync(new CreateKeyRequest
        {
            MultiRegion = true,
            Description = "moto peer multi-Region key",
            Tags = [new Tag { TagKey = "team", TagValue = "payments" }],
        })).KeyMetadata;
        await home.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = mrk.KeyId, ReplicaRegion = Away });
        var single = (await clients.Kms(Away).CreateKeyAsync(new CreateKeyRequest { Description = "moto peer single-Region key" })).KeyMetadata;
        // Different names per Region: moto (5.2) wrongly refuses an alias name already used in another Region.
        var homeAlias = $"alias/moto-peer-{suffix}";
        var awayAlias = $"alias/moto-peer-{suffix}-away";
        await home.CreateAliasAsync(new CreateAliasRequest { AliasName = homeAlias, TargetKeyId = mrk.KeyId });
        await clients.Kms(Away).CreateAliasAsync(new CreateAliasRequest { AliasName = awayAlias, TargetKeyId = single.KeyId });
        return new Seeded(mrk.KeyId, single.KeyId, homeAlias, awayAlias);
    }

    private static async Task<List<KeyMetadata>> DescribeAllAsync(IAmazonKeyManagementService kms)
    {
        var all = new List<KeyMetadata>();
        string? marker = null;
        do
        {
            var page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 100, Marker = marker });
            foreach (var key in page.Keys ?? [])
                all.Add((await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata);
            marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (marker is not null);
        return all;
    }

    [SkippableFact]
    public async Task TheReadPathListsAndDescribesKeysAcrossTwoRegions()
    {
        moto.Require();
        using var clients = moto.CreateClients(Home, Away);
        var seeded = await SeedAsync(clients);

        var home = await DescribeAllAsync(clients.Kms(Home));
        var away = await DescribeAllAsync(clients.Kms(Away));

        var primary = Assert.Single(home, k => k.KeyId == seeded.MultiRegionKeyId);
        var replica = Assert.Single(away, k => k.KeyId == seeded.MultiRegionKeyId);
        Assert.StartsWith("mrk-", primary.KeyId);
        Assert.True(primary.MultiRegion);
        Assert.True(replica.MultiRegion);
        Assert.Equal($"arn:aws:kms:{Home}:{MotoServer.AccountId}:key/{primary.KeyId}", primary.Arn);
        Assert.Equal($"arn:aws:kms:{Away}:{MotoServer.AccountId}:key/{replica.KeyId}", replica.Arn);
        Assert.Contains(away, k => k.KeyId == seeded.SingleRegionKeyId);
        Assert.DoesNotContain(home, k => k.KeyId == seeded.SingleRegionKeyId);
    }

    [SkippableFact]
    public async Task AliasesAndTagsAreReadPerRegion()
    {
        moto.Require();
        using var clients = moto.CreateClients(Home, Away);
        var seeded = await SeedAsync(clients);

        var homeAliases = (await clients.Kms(Home).ListAliasesAsync(new ListAliasesRequest())).Aliases ?? [];
        var awayAliases = (await clients.Kms(Away).ListAliasesAsync(new ListAliasesRequest())).Aliases ?? [];
        var tags = (await clients.Kms(Home).ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = seeded.MultiRegionKeyId })).Tags ?? [];

        Assert.Equal(seeded.MultiRegionKeyId, Assert.Single(homeAliases, a => a.AliasName == seeded.HomeAlias).TargetKeyId);
        Assert.Equal(seeded.SingleRegionKeyId, Assert.Single(awayAliases, a => a.AliasName == seeded.AwayAlias).TargetKeyId);
        Assert.DoesNotContain(homeAliases, a => a.AliasName == seeded.AwayAlias);
        Assert.Contains(tags, t => t.TagKey == "team" && t.TagValue == "payments");
    }

    [SkippableFact]
    public async Task RegionHealthFindsBothRegionsReachable()
    {
        moto.Require();
        using var clients = moto.CreateClients(Home, Away);
        using var health = new RegionHealth(clients, Options.Create(new RegionHealthOptions { ProbeTimeout = TimeSpan.FromSeconds(20) }),
            TimeProvider.System, NullLogger<RegionHealth>.Instance);

        await health.ProbeAllAsync();

        Assert.All(health.Regions, r =>
        {
            Assert.Equal(RegionReachability.Reachable, r.Reachability);
            Assert.NotNull(r.Latency);
            Assert.Null(r.LastError);
        });
        Assert.Equal([Home, Away], health.Regions.Select(r => r.Region));
    }

    [SkippableFact]
    public async Task TheBannerNamesMotosAccountFromSts()
    {
        moto.Require();
        using var clients = moto.CreateClients(Home, Away);
        var identity = new BackendIdentity(clients, NullLogger<BackendIdentity>.Instance);

        var backend = await identity.DescribeAsync();

        Assert.Equal(MotoServer.AccountId, backend.Account);
        Assert.Null(backend.Error);
        Assert.Equal($"AWS account {MotoServer.AccountId} at {moto.Url.ToString().TrimEnd('/')} · 2 Regions", backend.Summary);
    }
}
