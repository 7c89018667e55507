using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Tests.Features.Inventory;

/// <summary>Circuits share the snapshot's sorted rows; a filter takes its rows from them in the same order Apply gives.</summary>
public sealed class KeyMapSharedRowsTests
{
    [Fact]
    public async Task AnUnfilteredMapIsTheSharedSortedListAndAFilterKeepsApplysRowsAndOrder()
    {
        await using var ctx = new DashboardTestContext();
        var inventory = await ctx.UseDemoInventoryAsync();
        var snapshot = inventory.Current;
        var all = KeyMapRow.From(snapshot);

        foreach (var sort in Enum.GetValues<KeyMapSort>())
        {
            foreach (var descending in new[] { false, true })
            {
                var plain = new KeyMapFilter { Sort = sort, Descending = descending };
                Assert.Same(plain.Rows(snapshot), new KeyMapFilter { Sort = sort, Descending = descending }.Rows(snapshot));
                Assert.Equal(plain.Apply(all).Select(r => r.KeyId), plain.Rows(snapshot).Select(r => r.KeyId));

                var filtered = plain with { Kind = KeyKindFilter.MultiRegion, Search = " a " };
                Assert.NotSame(plain.Rows(snapshot), filtered.Rows(snapshot));
                Assert.Equal(filtered.Apply(all).Select(r => r.KeyId), filtered.Rows(snapshot).Select(r => r.KeyId));
            }
        }
        Assert.False(new KeyMapFilter { Search = "  ", Sort = KeyMapSort.State }.Filters);
    }
}
