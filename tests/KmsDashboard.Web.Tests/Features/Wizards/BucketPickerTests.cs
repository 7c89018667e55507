using Bunit;
using KmsDashboard.Core.Rotation.NewKeySet;
using KmsDashboard.Web.Features.Wizards;

namespace KmsDashboard.Web.Tests.Features.Wizards;

/// <summary>The new-key-set wizard's bucket picker: buckets in the set's Regions can be chosen, the others say why not.</summary>
public sealed class BucketPickerTests
{
    private static readonly BucketChoice[] Choices =
    [
        new("orders-archive", "us-east-1", "SSE-KMS alias/legacy (bucket key on)", true, null),
        new("photos-tokyo", "ap-northeast-1", "SSE-S3", false, "It is in ap-northeast-1, where the new key set has no key."),
    ];

    [Fact]
    public async Task ABucketOutsideTheSetsRegionsIsShownDisabledWithTheReason()
    {
        await using var ctx = new DashboardTestContext();
        var cut = ctx.Render<BucketPicker>(p => p.Add(x => x.Choices, Choices).Add(x => x.Selected, new HashSet<string>()));

        var tokyo = cut.Find("tr[data-bucket='photos-tokyo']");
        Assert.Equal("false", tokyo.GetAttribute("data-selectable"));
        Assert.True(tokyo.QuerySelector("input[type=checkbox]")!.HasAttribute("disabled"));
        Assert.Contains("where the new key set has no key", tokyo.QuerySelector(".bucket-reason")!.TextContent, StringComparison.Ordinal);
        var orders = cut.Find("tr[data-bucket='orders-archive']");
        Assert.False(orders.QuerySelector("input[type=checkbox]")!.HasAttribute("disabled"));
        Assert.Contains("bucket key on", orders.QuerySelector(".bucket-default")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckingABucketReportsItUpwardAndAChosenBucketShowsChecked()
    {
        await using var ctx = new DashboardTestContext();
        var toggles = new List<BucketToggle>();
        var cut = ctx.Render<BucketPicker>(p => p.Add(x => x.Choices, Choices).Add(x => x.Selected, new HashSet<string>())
            .Add(x => x.OnToggle, (BucketToggle t) => toggles.Add(t)));

        cut.Find("tr[data-bucket='orders-archive'] input[type=checkbox]").Change(true);
        cut.Render(p => p.Add(x => x.Selected, new HashSet<string> { "orders-archive" }));

        Assert.Equal(new BucketToggle("orders-archive", true), Assert.Single(toggles));
        Assert.True(cut.Find("tr[data-bucket='orders-archive'] input[type=checkbox]").HasAttribute("checked")
                    || cut.Find("tr[data-bucket='orders-archive'] input[type=checkbox]").GetAttribute("aria-checked") == "true");
    }

    [Fact]
    public async Task AnUnreadableCatalogSaysSo()
    {
        await using var ctx = new DashboardTestContext();
        var cut = ctx.Render<BucketPicker>(p => p.Add(x => x.Choices, []).Add(x => x.Selected, new HashSet<string>())
            .Add(x => x.Problem, "The account's buckets could not be listed: AccessDenied."));

        Assert.Contains("AccessDenied", cut.Find("#bucket-problem").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#no-buckets"));
    }
}
