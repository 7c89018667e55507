using Bunit;
using KmsDashboard.Core.Drills;
using KmsDashboard.Web.Features.Drills;

namespace KmsDashboard.Web.Tests.Features.Drills;

/// <summary>The drill matrix: a cell per source × target, the failing Region's row and column marked, who serves alone.</summary>
public sealed class DrillMatrixTests
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "us-west-2"];

    /// <summary>A drill of three Regions where eu-west-1 was down: its GenerateDataKey and every Decrypt there failed.</summary>
    private static FailoverDrillResult WithOutage(string down = "eu-west-1")
    {
        var cells = new List<DrillCell>();
        foreach (var source in Regions)
            foreach (var target in Regions)
            {
                var operation = source == target ? "GenerateDataKey" : "Decrypt";
                if (source == down && target != down)
                    cells.Add(new DrillCell(source, target, DrillCellStatus.NotAttempted, null, $"No ciphertext to decrypt: GenerateDataKey failed in {down}."));
                else if (target == down)
                    cells.Add(new DrillCell(source, target, DrillCellStatus.Failed,
                        new DrillCall(target, operation, false, 812, "ServiceUnavailableException", "ServiceUnavailableException: down", "req-x"), "ServiceUnavailableException: down"));
                else
                    cells.Add(new DrillCell(source, target, DrillCellStatus.Ok, new DrillCall(target, operation, true, 12.4, null, "", "req-ok"), "ok"));
            }
        return new FailoverDrillResult
        {
            Id = Guid.NewGuid(), KeyId = "mrk-1234abcd12ab34cd56ef1234567890ab", Name = "orders", PrimaryRegion = "us-east-1", PrimaryDown = false,
            User = "otto", StartedAt = DateTimeOffset.UnixEpoch, CompletedAt = DateTimeOffset.UnixEpoch.AddSeconds(2),
            Regions =
            [
                new("us-east-1", true, "alias/orders", true, false, true, ""),
                new("eu-west-1", false, "alias/orders", true, false, false, ""),
                new("us-west-2", false, "mrk-1234abcd12ab34cd56ef1234567890ab", false, false, true, "No alias in us-west-2: the key id is used."),
            ],
            Cells = cells,
        };
    }

    [Fact]
    public async Task OnlyTheDownRegionsRowAndColumnAreShownFailing()
    {
        await using var ctx = new DashboardTestContext();

        var cut = ctx.Render<DrillMatrix>(p => p.Add(x => x.Result, WithOutage()));

        var cells = cut.FindAll("td.cell");
        Assert.Equal(9, cells.Count);
        foreach (var cell in cells)
        {
            var involved = cell.GetAttribute("data-source") == "eu-west-1" || cell.GetAttribute("data-target") == "eu-west-1";
            Assert.Equal(involved, cell.ClassList.Contains("failed") || cell.ClassList.Contains("not-attempted"));
        }
        Assert.Contains("ServiceUnavailableException", cut.Find("td[data-source='us-east-1'][data-target='eu-west-1']").TextContent);
        Assert.Contains("12 ms", cut.Find("td[data-source='us-east-1'][data-target='us-west-2']").TextContent);
    }

    [Fact]
    public async Task TheServesAloneColumnSaysNoForTheDownRegionOnly()
    {
        await using var ctx = new DashboardTestContext();

        var cut = ctx.Render<DrillMatrix>(p => p.Add(x => x.Result, WithOutage()));

        var alone = cut.FindAll("td.alone").ToDictionary(td => td.ParentElement!.GetAttribute("data-source")!, td => td.GetAttribute("data-serves-alone"));
        Assert.Equal(new Dictionary<string, string?> { ["us-east-1"] = "true", ["eu-west-1"] = "false", ["us-west-2"] = "true" }, alone);
    }

    [Fact]
    public async Task ARegionWithoutTheAliasShowsTheKeyIdAndSaysSo()
    {
        await using var ctx = new DashboardTestContext();

        var cut = ctx.Render<DrillMatrix>(p => p.Add(x => x.Result, WithOutage()));

        Assert.Contains("no-alias", cut.Find("tr[data-source='us-west-2'] .name").ClassList);
        Assert.Contains("No alias in us-west-2: the key id is used.", cut.Find("#drill-notes").TextContent);
    }

    [Fact]
    public async Task CellTitlesNameTheCallAndItsRequestId()
    {
        await using var ctx = new DashboardTestContext();

        var cut = ctx.Render<DrillMatrix>(p => p.Add(x => x.Result, WithOutage()));

        var title = cut.Find("td[data-source='us-east-1'][data-target='eu-west-1']").GetAttribute("title");
        Assert.Equal("Decrypt in eu-west-1 of ciphertext made in us-east-1: ServiceUnavailableException: down (request req-x)", title);
    }
}
