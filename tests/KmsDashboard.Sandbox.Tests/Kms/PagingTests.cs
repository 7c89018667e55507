namespace KmsDashboard.Sandbox.Tests.Kms;

public sealed class PagingTests
{
    [Fact]
    public async Task ListKeysPagesAcross2500Keys()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var kms = sandbox.Kms("eu-central-1");
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForAsync(0, 2500, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
            created.Add((await kms.CreateKeyAsync(new CreateKeyRequest(), ct)).KeyMetadata.KeyId));

        var listed = new List<string>();
        await foreach (var key in kms.Paginators.ListKeys(new ListKeysRequest { Limit = 1000 }).Keys) listed.Add(key.KeyId);
        Assert.Equal(2500, listed.Count);
        Assert.Equal(created.Order(), listed.Order());

        var page = await kms.ListKeysAsync(new ListKeysRequest());
        Assert.Equal(100, page.Keys.Count);
        Assert.True(page.Truncated);
        var pages = 1;
        while (page.Truncated == true)
        {
            Assert.NotNull(page.NextMarker);
            page = await kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = page.NextMarker });
            pages++;
        }
        Assert.Equal(4, pages);
        Assert.Null(page.NextMarker);
        Assert.Equal(400, page.Keys.Count);
    }

    [Fact]
    public async Task BadLimitsAndMarkersAreRejected()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var kms = sandbox.Kms("us-east-1");
        await sandbox.CreateKeyAsync("us-east-1");

        await KmsAssert.FailsWithAsync("InvalidMarkerException", () => kms.ListKeysAsync(new ListKeysRequest { Marker = "not-a-marker" }));
        var single = await kms.ListKeysAsync(new ListKeysRequest { Limit = 1 });
        Assert.False(single.Truncated);
        Assert.Null(single.NextMarker);
    }
}
