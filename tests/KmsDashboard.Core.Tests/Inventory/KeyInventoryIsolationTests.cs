using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;

namespace KmsDashboard.Core.Tests.Inventory;

/// <summary>One key or Region never stalls the rest: unreadable keys, a slow Region, a caller that stops waiting.</summary>
public sealed class KeyInventoryIsolationTests
{
    private const string Account = "111122223333";

    /// <summary>A key policy for alice alone, with <paramref name="extra"/> statements: it does not delegate to the account.</summary>
    internal static string AliceOnly(params string[] extra) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/alice"},"Action":"kms:*","Resource":"*"}{{string.Concat(extra.Select(e => "," + e))}}]}""";

    internal static AmazonKeyManagementServiceClient Alice(SandboxServer server, string region) =>
        new(new BasicAWSCredentials(DemoAccessKeys.Alice, "secret"), new AmazonKeyManagementServiceConfig { ServiceURL = server.Url.ToString(), AuthenticationRegion = region });

    [Fact]
    public async Task AKeyWhosePolicyShutsTheDashboardOutIsShownNotReadableAndItsRegionStillLoadsInFull()
    {
        await using var h = await InventoryHarness.StartAsync();
        using var alice = Alice(h.Server, "us-east-1");
        var closed = (await alice.CreateKeyAsync(new CreateKeyRequest { Policy = AliceOnly(), Description = "alice only" })).KeyMetadata;
        var metadataOnly = $$"""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":["kms:Describe*","kms:List*"],"Resource":"*"}""";
        var halfOpen = (await alice.CreateKeyAsync(new CreateKeyRequest { Policy = AliceOnly(metadataOnly), Description = "metadata only" })).KeyMetadata;

        await h.Inventory.RefreshAsync(CancellationToken.None);

        var snapshot = h.Inventory.Current;
        var status = snapshot.StatusOf("us-east-1");
        Assert.True(status.Healthy, status.Error);
        var unreadable = snapshot.Find(new KeyRef("us-east-1", closed.KeyId))!;
        Assert.False(unreadable.MetadataRead);
        Assert.Equal(closed.Arn, unreadable.Arn);
        Assert.StartsWith("DescribeKey refused (AccessDeniedException: User: arn:aws:iam::111122223333:user/kms-dashboard is not authorized", unreadable.ReadError);
        var partly = snapshot.Find(new KeyRef("us-east-1", halfOpen.KeyId))!;
        Assert.True(partly.MetadataRead);
        Assert.Equal("metadata only", partly.Description);
        Assert.Null(partly.Policy);
        Assert.Contains("GetKeyPolicy refused (AccessDeniedException", partly.ReadError);
        Assert.Contains("GetKeyRotationStatus refused (AccessDeniedException", partly.ReadError);
        // Every other key of the Region is complete.
        var others = snapshot.KeysByRegion["us-east-1"].Where(k => k.KeyId != closed.KeyId && k.KeyId != halfOpen.KeyId).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, k => Assert.Null(k.ReadError));
        Assert.All(others.Where(k => !k.AwsManaged), k => Assert.NotNull(k.Policy));
        Assert.All(InventoryHarness.DemoRegions, r => Assert.True(snapshot.StatusOf(r).Healthy, r));
    }

    [Fact]
    public async Task AnUnreadableReplicaStaysInItsKeySetWithoutMakingUpDrift()
    {
        await using var h = await InventoryHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var payments = h.Inventory.Current.KeySets.Single(s => s.Representative.Aliases.Contains("alias/payments-prod"));
        // The us-west-2 replica's policy is replaced by one for alice alone (bypassing the lockout check, as AWS requires).
        using var alice = Alice(h.Server, "us-west-2");
        await alice.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = payments.KeyId, Policy = AliceOnly(), BypassPolicyLockoutSafetyCheck = true });

        await h.Inventory.RefreshAsync(CancellationToken.None);

        var set = h.Inventory.Current.FindKeySet(payments.KeyId)!;
        var replica = set.Members["us-west-2"];
        Assert.NotNull(replica.ReadError);
        Assert.DoesNotContain(set.Drift.Items, i => i.Region == "us-west-2" && i.Property is DriftProperty.Tags or DriftProperty.Policy or DriftProperty.Description or DriftProperty.Enabled);
        Assert.True(h.Inventory.Current.StatusOf("us-west-2").Healthy);
    }

    [Fact]
    public async Task EachRegionIsPublishedAsSoonAsItIsReadWhileASlowRegionShowsAsLoading()
    {
        await using var h = await InventoryHarness.StartAsync(o => o.RegionTimeout = TimeSpan.FromMinutes(2));
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var before = h.Inventory.Current;

        h.Faults.Set("ap-southeast-1", new RegionFault(Latency: TimeSpan.FromMinutes(5)));
        _ = h.Inventory.RefreshAsync(CancellationToken.None);

        var fast = InventoryHarness.DemoRegions.Where(r => r != "ap-southeast-1").ToList();
        // Well under the Region timeout: the fast Regions are published without waiting for the slow one.
        await InventoryHarness.WaitUntilAsync(() => fast.All(r => h.Inventory.Current.StatusOf(r).ReadAt > before.StatusOf(r).ReadAt),
            "the fast Regions to be published", seconds: 30);
        var progress = h.Inventory.Progress;
        Assert.True(progress.Running);
        Assert.Equal(["ap-southeast-1"], progress.Loading.Keys);
        Assert.True(progress.Loading["ap-southeast-1"] <= DateTimeOffset.UtcNow);
        var snapshot = h.Inventory.Current;
        Assert.Equal(before.StatusOf("ap-southeast-1"), snapshot.StatusOf("ap-southeast-1"));
        Assert.Same(before.KeysByRegion["ap-southeast-1"], snapshot.KeysByRegion["ap-southeast-1"]);
        Assert.All(fast, r => Assert.True(snapshot.StatusOf(r).Healthy, r));
    }

    [Fact]
    public async Task ACallerThatStopsWaitingDoesNotCancelTheRefreshForEveryoneElse()
    {
        await using var h = await InventoryHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var before = h.Inventory.Current;

        h.Faults.GlobalLatency = TimeSpan.FromMilliseconds(300);
        using var page = new CancellationTokenSource();
        var first = h.Inventory.RefreshAsync(page.Token);
        await InventoryHarness.WaitUntilAsync(() => h.Inventory.Progress.KeysListed > 0, "the refresh to list keys");
        var second = h.Inventory.RefreshAsync(CancellationToken.None); // another page joins the same refresh
        page.Cancel(); // the first page navigates away

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await second;
        var after = h.Inventory.Current;
        Assert.NotSame(before, after);
        Assert.True(after.ReadAt > before.ReadAt);
        Assert.All(InventoryHarness.DemoRegions, r => Assert.True(after.StatusOf(r).ReadAt > before.StatusOf(r).ReadAt, r));
    }
}
