using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Tests.Inventory;

/// <summary>The inventory read of the sandbox's demo account: grouping into key sets, and drift.</summary>
public sealed class KeyInventoryDemoAccountTests
{
    [Fact]
    public async Task GroupsRelatedMultiRegionKeysIntoKeySetsAndKeepsTheRestApart()
    {
        await using var h = await InventoryHarness.StartAsync();

        await h.Inventory.RefreshAsync(CancellationToken.None);
        var snapshot = h.Inventory.Current;

        Assert.All(InventoryHarness.DemoRegions, r => Assert.True(snapshot.StatusOf(r).Healthy, $"{r}: {snapshot.StatusOf(r).Error}"));
        var payments = Assert.Single(snapshot.KeySets, s => s.Representative.Aliases.Contains("alias/payments-prod"));
        Assert.Equal("us-east-1", payments.PrimaryRegion);
        Assert.Equal(["ap-southeast-1", "eu-west-1", "us-east-1", "us-west-2"], payments.Members.Keys.Order());
        Assert.Equal(MultiRegionRole.Primary, payments.Primary!.Role);
        Assert.All(payments.Replicas, r => Assert.Equal(payments.KeyId, r.KeyId));
        Assert.StartsWith("mrk-", payments.KeyId);
        Assert.Equal(5, snapshot.KeySets.Count);

        Assert.All(snapshot.SingleRegionKeys, k => Assert.Equal(MultiRegionRole.None, k.Role));
        Assert.Contains(snapshot.SingleRegionKeys, k => k.Region == "us-east-1" && k.Aliases.Contains("alias/app-config"));
        Assert.Contains(snapshot.SingleRegionKeys, k => k.Region == "eu-west-1" && k.Aliases.Contains("alias/app-config"));
        Assert.DoesNotContain(snapshot.SingleRegionKeys, k => k.AwsManaged);

        Assert.NotEmpty(snapshot.AwsManagedKeys);
        Assert.All(snapshot.AwsManagedKeys, k => Assert.StartsWith("alias/aws/", Assert.Single(k.Aliases)));
        Assert.All(snapshot.AwsManagedKeys, k => Assert.Null(k.Policy));

        var legacy = Assert.Single(snapshot.KeySets, s => s.Representative.Aliases.Contains("alias/legacy-billing"));
        Assert.Equal("PendingReplicaDeletion", legacy.Primary!.State);
        var orders = Assert.Single(snapshot.KeySets, s => s.Representative.Aliases.Contains("alias/orders-db"));
        Assert.True(orders.Primary!.Rotation is { Applies: true, Enabled: true, PeriodInDays: 90 });
        Assert.Equal(snapshot.KeyCount, snapshot.AllKeys.Count());
    }

    [Fact]
    public async Task FindsTheDriftTheDemoAccountSeeds()
    {
        await using var h = await InventoryHarness.StartAsync();

        await h.Inventory.RefreshAsync(CancellationToken.None);
        var snapshot = h.Inventory.Current;

        var payments = Assert.Single(snapshot.KeySets, s => s.Representative.Aliases.Contains("alias/payments-prod")).Drift;
        Assert.Contains(payments.Items, i => i is { Region: "ap-southeast-1", Property: DriftProperty.Aliases } && i.Detail.Contains("alias/payments-prod is missing"));
        Assert.True(payments.Differs("eu-west-1", DriftProperty.Tags));
        Assert.True(payments.Differs("eu-west-1", DriftProperty.Policy));
        Assert.True(payments.Differs("eu-west-1", DriftProperty.Description));
        Assert.False(payments.Differs("us-west-2"));

        var orders = Assert.Single(snapshot.KeySets, s => s.Representative.Aliases.Contains("alias/orders-db")).Drift;
        Assert.Equal([new DriftItem("eu-central-1", DriftProperty.Enabled, "disabled, primary is enabled")], orders.Items);

        var pii = Assert.Single(snapshot.KeySets, s => s.Representative.Aliases.Contains("alias/customer-pii"));
        Assert.False(pii.Drift.HasDrift);
    }

    [Fact]
    public async Task RefreshingOneKeyAfterAChangeShowsTheChangeAndItsDrift()
    {
        await using var h = await InventoryHarness.StartAsync();
        await h.Inventory.RefreshAsync(CancellationToken.None);
        var pii = Assert.Single(h.Inventory.Current.KeySets, s => s.Representative.Aliases.Contains("alias/customer-pii"));
        var replica = pii.Replicas.First();
        var notified = 0;
        using var subscription = h.Inventory.Changed(() => Interlocked.Increment(ref notified));

        await h.Clients.Kms(replica.Region).UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = replica.KeyId, Description = "changed here only" });
        await h.Inventory.RefreshKeysAsync([replica.Ref], CancellationToken.None);

        var after = h.Inventory.Current.FindKeySet(pii.KeyId)!;
        Assert.Equal("changed here only", after.Members[replica.Region].Description);
        Assert.True(after.Drift.Differs(replica.Region, DriftProperty.Description));
        await InventoryHarness.WaitUntilAsync(() => Volatile.Read(ref notified) > 0, "a change notification");
    }

    [Fact]
    public async Task RefreshingAKeyThatWasDeletedRemovesIt()
    {
        await using var h = await InventoryHarness.StartAsync(seed: false);
        var kms = h.Clients.Kms("eu-central-1");
        var created = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "short-lived" })).KeyMetadata;
        await h.Inventory.RefreshAsync(CancellationToken.None);
        Assert.NotNull(h.Inventory.Current.Find(new KeyRef("eu-central-1", created.KeyId)));

        await h.Inventory.RefreshKeysAsync([new KeyRef("eu-central-1", "mrk-00000000000000000000000000000000")], CancellationToken.None);
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = created.KeyId, PendingWindowInDays = 7 });
        await h.Inventory.RefreshKeysAsync([new KeyRef("eu-central-1", created.KeyId)], CancellationToken.None);

        Assert.Equal("PendingDeletion", h.Inventory.Current.Find(new KeyRef("eu-central-1", created.KeyId))!.State);
        Assert.Null(h.Inventory.Current.Find(new KeyRef("eu-central-1", "mrk-00000000000000000000000000000000")));
    }

    [Fact]
    public async Task RefreshKeysRefusesABadRegionBeforeAnyCall()
    {
        await using var h = await InventoryHarness.StartAsync(seed: false);
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => h.Inventory.RefreshKeysAsync([new KeyRef("not a region", "x")], CancellationToken.None));
        Assert.Contains("not an AWS Region", ex.Message);
    }
}
