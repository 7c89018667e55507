using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Tests.Features.Inventory;

public sealed class RegionLabelLayoutTests
{
    private static readonly string[] Crowded =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "me-central-1",
    ];

    [Fact]
    public void LabelsOfTwentyRegionsIncludingEuropesClusterNeitherOverlapNorCoverADot()
    {
        var regions = Crowded.Select(r => (Region: r, At: RegionLocations.Find(r)!)).ToList();
        Assert.All(regions, r => Assert.NotNull(r.At));

        var labels = RegionLabelLayout.Place(regions.Select(r => (r.Region, $"{r.Region} (300)", r.At.X, r.At.Y)));

        Assert.Equal(Crowded.Length, labels.Count);
        var boxes = labels.Select(l => (l.Region, Box: l.Box(RegionLabelLayout.CharWidth, RegionLabelLayout.FontSize))).ToList();
        foreach (var (a, i) in boxes.Select((b, i) => (b, i)))
        {
            Assert.True(a.Box.Left >= RegionLabelLayout.ViewLeft && a.Box.Right <= RegionLabelLayout.ViewRight, $"the label of {a.Region} leaves the map");
            foreach (var b in boxes.Skip(i + 1))
                Assert.False(Overlap(a.Box, b.Box), $"the labels of {a.Region} and {b.Region} overlap");
            foreach (var (region, at) in regions.Where(r => r.Region != a.Region))
                Assert.False(Overlap(a.Box, (at.X - 6, at.Y - 6, at.X + 6, at.Y + 6)), $"the label of {a.Region} covers the dot of {region}");
        }
    }

    [Fact]
    public void ALoneRegionKeepsItsLabelAboveRightOfTheDot()
    {
        var at = RegionLocations.Find("sa-east-1")!;

        var label = Assert.Single(RegionLabelLayout.Place([("sa-east-1", "sa-east-1 (4)", at.X, at.Y)]));

        Assert.False(label.LeftOfDot);
        Assert.Equal(at.X + 8, label.X);
        Assert.Equal(at.Y - 6, label.Y);
    }

    private static bool Overlap((double L, double T, double R, double B) a, (double L, double T, double R, double B) b) =>
        a.L < b.R && b.L < a.R && a.T < b.B && b.T < a.B;
}
