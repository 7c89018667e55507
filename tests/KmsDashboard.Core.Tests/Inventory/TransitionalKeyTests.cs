using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Inventory;

/// <summary>A replica still Creating is no drift, and the inventory re-reads it on its own until it settles.</summary>
public sealed class TransitionalKeyTests
{
    [Fact]
    public async Task AReplicaStillCreatingIsNotDriftAndSettlesWithoutARefresh()
    {
        await using var harness = await InventoryHarness.StartAsync(seed: false);
        var primary = (await harness.Clients.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata;
        await harness.Clients.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = primary.KeyId, ReplicaRegion = "eu-west-1" });
        await harness.Inventory.RefreshAsync(CancellationToken.None);

        var replica = harness.Inventory.Current.Find(new KeyRef("eu-west-1", primary.KeyId))!;
        Assert.Equal("Creating", replica.State);
        Assert.DoesNotContain(harness.Inventory.Current.FindKeySet(primary.KeyId)!.Drift.Items, i => i.Property == DriftProperty.Enabled);

        using var watcher = new TransitionalKeyWatcher(harness.Inventory,
            Options.Create(new InventoryOptions { SettleInterval = TimeSpan.FromMilliseconds(200) }), NullLogger<TransitionalKeyWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await InventoryHarness.WaitUntilAsync(
                () => harness.Inventory.Current.Find(new KeyRef("eu-west-1", primary.KeyId))?.State == "Enabled", "the replica to read Enabled");
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
        Assert.False(harness.Inventory.Current.FindKeySet(primary.KeyId)!.Drift.HasDrift);
    }

    [Fact]
    public void OnlyCreatingAndUpdatingAreReReadAsTheyEndByThemselves()
    {
        var states = new[] { "Creating", "Updating", "PendingImport", "Enabled", "Disabled", "PendingDeletion", "PendingReplicaDeletion" };
        var keys = states.Select((s, i) => new RegionalKey
        {
            Region = "us-east-1", KeyId = $"k{i}", Arn = $"arn:aws:kms:us-east-1:111122223333:key/k{i}", State = s,
        }).ToList();
        var snapshot = InventorySnapshot.Create(["us-east-1"], new Dictionary<string, IReadOnlyList<RegionalKey>> { ["us-east-1"] = keys },
            new Dictionary<string, RegionReadStatus>(), DateTimeOffset.UtcNow);

        Assert.Equal(["k0", "k1"], TransitionalKeyWatcher.Unsettled(snapshot).Select(k => k.KeyId).Order());
    }
}
