using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Core.Tests.Inventory;

/// <summary>Drift rules on hand-made snapshots: the cases the demo account does not cover.</summary>
public sealed class KeySetDriftTests
{
    private const string Id = "mrk-0123456789abcdef0123456789abcdef";

    private static RegionalKey Key(string region, MultiRegionRole role, string id = Id, string[]? aliases = null, string policy = """{"Version":"2012-10-17","Statement":[]}""") => new()
    {
        Region = region,
        KeyId = id,
        Arn = $"arn:aws:kms:{region}:111122223333:key/{id}",
        State = "Enabled",
        Enabled = true,
        Role = role,
        PrimaryRegion = role == MultiRegionRole.None ? null : "us-east-1",
        Aliases = aliases ?? [],
        Policy = policy,
    };

    private static InventorySnapshot Snapshot(params RegionalKey[] keys)
    {
        var regions = keys.Select(k => k.Region).Distinct().ToList();
        return InventorySnapshot.Create(regions,
            regions.ToDictionary(r => r, r => (IReadOnlyList<RegionalKey>)keys.Where(k => k.Region == r).ToList()),
            regions.ToDictionary(r => r, r => new RegionReadStatus(r, DateTimeOffset.UtcNow)), DateTimeOffset.UtcNow);
    }

    [Fact]
    public void AnAliasThatNamesAnotherKeyInTheReplicaRegionIsReportedAsPointingElsewhere()
    {
        var other = "1234abcd-12ab-34cd-56ef-1234567890ab";
        var snapshot = Snapshot(
            Key("us-east-1", MultiRegionRole.Primary, aliases: ["alias/app"]),
            Key("eu-west-1", MultiRegionRole.Replica),
            Key("eu-west-1", MultiRegionRole.None, id: other, aliases: ["alias/app"]));

        var item = Assert.Single(snapshot.FindKeySet(Id)!.Drift.Items);

        Assert.Equal(new DriftItem("eu-west-1", DriftProperty.Aliases, $"alias/app points at {other} instead"), item);
    }

    [Fact]
    public void PoliciesThatDifferOnlyInFormattingAreNotDrift()
    {
        var snapshot = Snapshot(
            Key("us-east-1", MultiRegionRole.Primary, policy: """{"Version":"2012-10-17","Statement":[]}"""),
            Key("eu-west-1", MultiRegionRole.Replica, policy: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}"));

        Assert.False(snapshot.FindKeySet(Id)!.Drift.HasDrift);
    }

    [Fact]
    public void WithoutItsPrimaryAKeySetHasNoDriftVerdict()
    {
        var snapshot = Snapshot(Key("eu-west-1", MultiRegionRole.Replica, aliases: ["alias/a"]), Key("ap-south-1", MultiRegionRole.Replica));

        var set = snapshot.FindKeySet(Id)!;

        Assert.Null(set.Primary);
        Assert.False(set.Drift.HasDrift);
        Assert.Equal(2, snapshot.FindById(Id).Count);
    }
}
