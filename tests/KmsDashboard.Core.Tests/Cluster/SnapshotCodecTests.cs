using System.Text.Json;
using KmsDashboard.Core.Cluster;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Core.Tests.Inventory;

namespace KmsDashboard.Core.Tests.Cluster;

/// <summary>The snapshot the leader stores is the snapshot the follower serves: every key field, key sets and drift alike.</summary>
public sealed class SnapshotCodecTests
{
    [Fact]
    public async Task TheDemoAccountSnapshotComesBackAsItWasAndCompressed()
    {
        await using var harness = await InventoryHarness.StartAsync();
        await harness.Inventory.RefreshAsync(CancellationToken.None);
        var snapshot = harness.Inventory.Current;

        var data = SnapshotCodec.Encode(snapshot);
        var decoded = SnapshotCodec.Decode(data);

        Assert.Equal(snapshot.Regions, decoded.Regions);
        Assert.Equal(snapshot.ReadAt, decoded.ReadAt);
        Assert.Equal(snapshot.KeyCount, decoded.KeyCount);
        Assert.Equal(snapshot.RegionStatus.OrderBy(p => p.Key), decoded.RegionStatus.OrderBy(p => p.Key));
        Assert.Equal(snapshot.AllKeys.Select(k => JsonSerializer.Serialize(k)), decoded.AllKeys.Select(k => JsonSerializer.Serialize(k)));
        Assert.Equal(snapshot.KeySets.Select(s => (s.KeyId, s.PrimaryRegion, string.Join(";", s.Drift.Items.Select(i => $"{i.Property}:{i.Region}")))),
            decoded.KeySets.Select(s => (s.KeyId, s.PrimaryRegion, string.Join(";", s.Drift.Items.Select(i => $"{i.Property}:{i.Region}")))));
        Assert.True(data.Length * 4 < JsonSerializer.SerializeToUtf8Bytes(snapshot.AllKeys).Length,
            $"{data.Length} bytes stored for {JsonSerializer.SerializeToUtf8Bytes(snapshot.AllKeys).Length} bytes of keys.");
        // Policies shared by many keys are held once after loading, as on the leader.
        var policies = decoded.AllKeys.Where(k => k.Policy is not null).GroupBy(k => k.Policy).Where(g => g.Count() > 1).ToList();
        Assert.NotEmpty(policies);
        Assert.All(policies, g => Assert.True(g.All(k => ReferenceEquals(k.Policy, g.First().Policy))));
    }

    [Fact]
    public async Task AMultiAccountSnapshotKeepsEveryKeysAccountAndEachAccountsStatus()
    {
        await using var harness = await InventoryHarness.StartAsync();
        await harness.Inventory.RefreshAsync(CancellationToken.None);
        var single = harness.Inventory.Current;
        const string member = "444455556666";
        // The same estate read in two accounts: every key twice, once per account, and the member failing since a moment.
        var keys = single.Regions.ToDictionary(r => r, r => (IReadOnlyList<RegionalKey>)[.. single.KeysByRegion[r], .. single.KeysByRegion[r].Select(k => k with { Account = member })],
            StringComparer.Ordinal);
        var failing = DateTimeOffset.Parse("2026-12-02T10:00:00Z");
        var accounts = new List<AccountReadStatus>
        {
            new("111122223333", "demo-security", single.RegionStatus),
            new(member, "demo-payments", single.RegionStatus, "AccessDenied: not authorized", failing),
        };
        var snapshot = InventorySnapshot.Create(single.Regions, keys, single.RegionStatus, single.ReadAt, accounts);

        var decoded = SnapshotCodec.Decode(SnapshotCodec.Encode(snapshot));

        Assert.True(decoded.MultiAccount);
        Assert.Equal(snapshot.Accounts.Select(a => (a.Id, a.Name, a.AssumeError, a.AssumeFailingSince)),
            decoded.Accounts.Select(a => (a.Id, a.Name, a.AssumeError, a.AssumeFailingSince)));
        Assert.Equal(2 * single.KeyCount, decoded.KeyCount);
        Assert.Equal(single.KeyCount, decoded.AllKeys.Count(k => k.Account == member));
        Assert.Equal(snapshot.KeySets.Count, decoded.KeySets.Count);
    }
}
