using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class SeederTests
{
    [Fact]
    public async Task SyntheticKeysAreServedLikeAnyOther()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        string[] regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"];

        var added = sandbox.Server.Services.GetRequiredService<KmsSandboxSeeder>().AddSyntheticKeys(regions, keysPerRegion: 40, multiRegionShare: 0.5, seed: 7);

        var views = sandbox.Server.Services.GetRequiredService<KmsSandboxState>().ListKeys();
        Assert.Equal(added, views.Count);
        Assert.Equal(200, views.Count(v => v.MultiRegionKeyType != "REPLICA"));
        var primaries = views.Where(v => v.MultiRegionKeyType == "PRIMARY").ToList();
        Assert.InRange(primaries.Count, 60, 140);
        Assert.All(primaries, p => Assert.InRange(views.Count(v => v.KeyId == p.KeyId && v.MultiRegionKeyType == "REPLICA"), 2, 4));
        var listed = 0;
        foreach (var region in regions)
            await foreach (var _ in sandbox.Kms(region).Paginators.ListKeys(new ListKeysRequest()).Keys) listed++;
        Assert.Equal(added, listed);
        var primary = primaries[0];
        var blob = await sandbox.Kms(primary.Region).EncryptAsync(new EncryptRequest { KeyId = primary.Aliases[0], Plaintext = new MemoryStream([3]) });
        var replica = views.First(v => v.KeyId == primary.KeyId && v.MultiRegionKeyType == "REPLICA");
        Assert.Equal([3], (await sandbox.Kms(replica.Region).DecryptAsync(new DecryptRequest { CiphertextBlob = blob.CiphertextBlob })).Plaintext.ToArray());
    }
}
