using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Tests.Inventory;

/// <summary>
/// <see cref="InventorySnapshot.With"/> shares the key sets and lists it built when only statuses, accounts or the read time
/// change, and builds them again whenever a Region's keys or the Regions do.
/// </summary>
public sealed class InventorySnapshotWithTests
{
    private const string Id = "mrk-0123456789abcdef0123456789abcdef";
    private static readonly string[] Regions = ["us-east-1", "eu-west-1"];

    private static RegionalKey Key(string region, MultiRegionRole role, string description = "orders") => new()
    {
        Region = region,
        KeyId = Id,
        Arn = $"arn:aws:kms:{region}:111122223333:key/{Id}",
        State = "Enabled",
        Enabled = true,
        Description = description,
        Role = role,
        PrimaryRegion = "us-east-1",
    };

    private static InventorySnapshot Snapshot() => InventorySnapshot.Create(Regions,
        new Dictionary<string, IReadOnlyList<RegionalKey>>
        {
            ["us-east-1"] = [Key("us-east-1", MultiRegionRole.Primary)],
            ["eu-west-1"] = [Key("eu-west-1", MultiRegionRole.Replica)],
        },
        Regions.ToDictionary(r => r, r => new RegionReadStatus(r, DateTimeOffset.UnixEpoch)), null);

    [Fact]
    public void AStatusOrReadTimeChangeKeepsTheKeySetsAndKeysAsTheyWere()
    {
        var before = Snapshot();
        var readAt = DateTimeOffset.UnixEpoch.AddMinutes(5);

        var after = before.With(new Dictionary<string, IReadOnlyList<RegionalKey>> { ["eu-west-1"] = before.KeysByRegion["eu-west-1"] },
            new Dictionary<string, RegionReadStatus> { ["eu-west-1"] = new("eu-west-1", null, "ThrottlingException: Rate exceeded") }, Regions, readAt);

        Assert.Same(before.KeySets, after.KeySets);
        Assert.Same(before.SingleRegionKeys, after.SingleRegionKeys);
        Assert.Equal(readAt, after.ReadAt);
        Assert.False(after.StatusOf("eu-west-1").Healthy);
        Assert.True(before.StatusOf("eu-west-1").Healthy);
        Assert.Equal(2, after.KeyCount);
        Assert.Same(before.Find(new KeyRef("eu-west-1", Id)), after.Find(new KeyRef("eu-west-1", Id)));
    }

    [Fact]
    public void NewKeysInARegionAreGroupedAndComparedAgain()
    {
        var before = Snapshot();
        Assert.Empty(before.FindKeySet(Id)!.Drift.Items);

        var after = before.With(new Dictionary<string, IReadOnlyList<RegionalKey>> { ["eu-west-1"] = [Key("eu-west-1", MultiRegionRole.Replica, "changed")] },
            new Dictionary<string, RegionReadStatus>(), Regions);

        var drift = Assert.Single(after.FindKeySet(Id)!.Drift.Items);
        Assert.Equal(DriftProperty.Description, drift.Property);
        Assert.Equal("changed", after.Find(new KeyRef("eu-west-1", Id))!.Description);
    }

    [Fact]
    public void FewerRegionsDropTheirKeysFromTheKeySets()
    {
        var before = Snapshot();

        var after = before.With(new Dictionary<string, IReadOnlyList<RegionalKey>>(), new Dictionary<string, RegionReadStatus>(), ["us-east-1"]);

        Assert.Equal(["us-east-1"], after.FindKeySet(Id)!.Members.Keys);
        Assert.Equal(1, after.KeyCount);
        Assert.Null(after.Find(new KeyRef("eu-west-1", Id)));
    }
}
