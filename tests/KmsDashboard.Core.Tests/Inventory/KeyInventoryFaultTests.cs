using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Core.Tests.Inventory;

/// <summary>Regions failing, throttling and a cancelled refresh: the rest carries on and nothing good is lost.</summary>
public sealed class KeyInventoryFaultTests
{
    [Fact]
    public async Task ARegionThatGoesDownMidRefreshKeepsItsLastDataAndErrorWhileTheOthersComplete()
    {
        await using var h = await InventoryHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var before = h.Inventory.Current;
        var euKeys = before.KeysByRegion["eu-west-1"];
        Assert.NotEmpty(euKeys);

        // eu-west-1 answers slowly, so it is still being read when it goes down.
        h.Faults.Set("eu-west-1", new RegionFault(Latency: TimeSpan.FromSeconds(2)));
        var refresh = h.Inventory.RefreshAsync(CancellationToken.None);
        await InventoryHarness.WaitUntilAsync(() => h.Inventory.Progress.RegionsDone >= 1, "another Region to finish");
        h.Faults.Set("eu-west-1", new RegionFault(Outage: true));
        await refresh;

        var after = h.Inventory.Current;
        var eu = after.StatusOf("eu-west-1");
        Assert.NotNull(eu.Error);
        Assert.NotNull(eu.FailingSince);
        Assert.Equal(before.StatusOf("eu-west-1").ReadAt, eu.ReadAt);
        Assert.Same(euKeys, after.KeysByRegion["eu-west-1"]);
        Assert.Contains(after.KeySets, s => s.Members.ContainsKey("eu-west-1"));
        foreach (var region in InventoryHarness.DemoRegions.Where(r => r != "eu-west-1"))
        {
            Assert.True(after.StatusOf(region).Healthy, region);
            Assert.True(after.StatusOf(region).ReadAt > before.StatusOf(region).ReadAt, region);
        }

        // Still down on the next refresh: failing since the first failure. Back up: healthy again.
        await h.Inventory.RefreshAsync(CancellationToken.None);
        Assert.Equal(eu.FailingSince, h.Inventory.Current.StatusOf("eu-west-1").FailingSince);
        h.Faults.Clear("eu-west-1");
        await h.Inventory.RefreshAsync(CancellationToken.None);
        Assert.True(h.Inventory.Current.StatusOf("eu-west-1").Healthy);
    }

    [Fact]
    public async Task ThrottlingMidRefreshIsRiddenOutWithoutFailingTheRegion()
    {
        await using var h = await InventoryHarness.StartAsync();

        h.Faults.Set("ap-northeast-1", new RegionFault(Throttle: true));
        var refresh = h.Inventory.RefreshAsync(CancellationToken.None);
        await InventoryHarness.WaitUntilAsync(() => h.Inventory.Progress.RegionsDone >= 1, "another Region to finish");
        await Task.Delay(500); // let ap-northeast-1 meet a few ThrottlingExceptions before the throttling stops
        h.Faults.Clear("ap-northeast-1");
        await refresh;

        var snapshot = h.Inventory.Current;
        Assert.All(InventoryHarness.DemoRegions, r => Assert.True(snapshot.StatusOf(r).Healthy, $"{r}: {snapshot.StatusOf(r).Error}"));
        Assert.NotEmpty(snapshot.KeysByRegion["ap-northeast-1"]);
    }

    [Fact]
    public async Task ARegionThatNeverAnswersTimesOutWithoutHoldingUpTheOthers()
    {
        InventoryOptions? options = null;
        await using var h = await InventoryHarness.StartAsync(o => options = o);
        await h.Inventory.RefreshAsync(CancellationToken.None); // warm up (JIT, connections) before timing matters
        var firstRead = h.Inventory.Current.StatusOf("ap-southeast-1").ReadAt;
        options!.RegionTimeout = TimeSpan.FromSeconds(5);
        h.Faults.Set("ap-southeast-1", new RegionFault(Latency: TimeSpan.FromMinutes(5)));

        await h.Inventory.RefreshAsync(CancellationToken.None);

        var snapshot = h.Inventory.Current;
        Assert.Contains("No answer within 5 s", snapshot.StatusOf("ap-southeast-1").Error);
        Assert.Equal(firstRead, snapshot.StatusOf("ap-southeast-1").ReadAt);
        Assert.NotEmpty(snapshot.KeysByRegion["ap-southeast-1"]);
        Assert.True(snapshot.StatusOf("us-east-1").Healthy, snapshot.StatusOf("us-east-1").Error);
        Assert.True(snapshot.StatusOf("us-east-1").ReadAt > firstRead);
    }

    [Fact]
    public async Task AKeyReReadAfterAnActionIsNotOverwrittenByAFullRefreshThatReadItEarlier()
    {
        await using var h = await InventoryHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var key = h.Inventory.Current.KeysByRegion["us-east-1"].First(k => !k.AwsManaged && k.State == "Enabled");

        // ap-northeast-1 answers slowly, so the refresh is still running after us-east-1 has been read.
        h.Faults.Set("ap-northeast-1", new RegionFault(Latency: TimeSpan.FromSeconds(5)));
        var refresh = h.Inventory.RefreshAsync(CancellationToken.None);
        await InventoryHarness.WaitUntilAsync(() => h.Inventory.Progress.RegionsDone >= InventoryHarness.DemoRegions.Length - 1, "the fast Regions to be read");

        await h.Clients.Kms("us-east-1").DisableKeyAsync(new Amazon.KeyManagementService.Model.DisableKeyRequest { KeyId = key.KeyId });
        await h.Inventory.RefreshKeysAsync([key.Ref], CancellationToken.None);
        Assert.False(h.Inventory.Current.Find(key.Ref)!.Enabled);
        Assert.True(h.Inventory.Progress.Running, "the full refresh should still be running, or this test shows nothing");

        await refresh;
        Assert.Equal("Disabled", h.Inventory.Current.Find(key.Ref)!.State);

        h.Faults.Clear("ap-northeast-1");
        await h.Clients.Kms("us-east-1").EnableKeyAsync(new Amazon.KeyManagementService.Model.EnableKeyRequest { KeyId = key.KeyId });
        await h.Inventory.RefreshAsync(CancellationToken.None);
        Assert.Equal("Enabled", h.Inventory.Current.Find(key.Ref)!.State); // the next full refresh reads it afresh
    }
}
