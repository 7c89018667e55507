using Bunit;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Tests.Features.Inventory;

/// <summary>The key map's rows are shared HTML built from AWS data: every value in it is encoded, and it is built once.</summary>
public sealed class KeyMapMarkupTests
{
    private const string Hostile = "<img src=x onerror=\"alert(1)\">&'";

    private static RegionalKey Key(string region = "us-east-1") => new()
    {
        Region = region,
        KeyId = "1234abcd-12ab-34cd-56ef-1234567890ab",
        Arn = $"arn:aws:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        State = "Enabled\"><script>x</script>",
        Enabled = true,
        Aliases = ["alias/" + Hostile],
        Description = Hostile,
        ReadError = "GetKeyPolicy: " + Hostile,
    };

    [Fact]
    public async Task ValuesFromAwsAreTextInTheRowNeverMarkup()
    {
        await using var ctx = new DashboardTestContext();
        var row = KeyMapRow.For(Key());

        var cut = ctx.Render<KeyMatrix>(p => p.Add(x => x.Rows, [row]).Add(x => x.Regions, ["us-east-1", "eu-west-1"]));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.key-row")));
        Assert.Empty(cut.FindAll("img"));
        Assert.Empty(cut.FindAll("script"));
        Assert.Equal(Hostile, cut.Find("tr.key-row a.key-name").TextContent);
        var cell = cut.Find("tr.key-row td[data-region='us-east-1']");
        Assert.Equal("Enabled\"><script>x</script>", cell.GetAttribute("data-state"));
        Assert.Contains("not readable: GetKeyPolicy: " + Hostile, cell.GetAttribute("title"));
        Assert.Equal("none", cut.Find("tr.key-row td[data-region='eu-west-1']").GetAttribute("data-role"));
    }

    [Fact]
    public void ARowBuildsItsHtmlOnceForEveryCircuitAndAgainOnlyForOtherRegions()
    {
        var row = KeyMapRow.For(Key());
        string[] regions = ["us-east-1", "eu-west-1"];

        var first = row.MatrixMarkup(regions).Cells.Value;
        var second = row.MatrixMarkup(["us-east-1", "eu-west-1"]).Cells.Value;
        var other = row.MatrixMarkup(["eu-west-1", "us-east-1"]).Cells.Value;

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.True(other.IndexOf("data-region=\"eu-west-1\"", StringComparison.Ordinal) < other.IndexOf("data-region=\"us-east-1\"", StringComparison.Ordinal));
        Assert.Same(row.CardMarkup(regions).Value, row.CardMarkup(regions).Value);
    }
}
