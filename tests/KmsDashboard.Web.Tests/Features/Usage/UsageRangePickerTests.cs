using Bunit;
using KmsDashboard.Core.Usage;
using KmsDashboard.Web.Features.Usage;

namespace KmsDashboard.Web.Tests.Features.Usage;

public sealed class UsageRangePickerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 34, 56, TimeSpan.Zero);

    [Theory]
    [InlineData(UsageRangeKind.LastHour, 60)]
    [InlineData(UsageRangeKind.LastDay, 300)]
    [InlineData(UsageRangeKind.LastWeek, 900)]
    [InlineData(UsageRangeKind.Last30Days, 3600)]
    [InlineData(UsageRangeKind.Last90Days, 10800)]
    public void EachPresetGetsTheShortestPeriodWithinAThousandPoints(UsageRangeKind kind, int period)
    {
        var range = UsageRange.For(kind, Now);

        Assert.Equal(period, range.PeriodSeconds);
        Assert.InRange(range.PointCount, 1, UsageRange.MaxPoints);
        Assert.Equal(0, range.Start.ToUnixTimeSeconds() % period);
    }

    [Fact]
    public void OldDataGetsAPeriodCloudWatchServesAtItsAge()
    {
        // Two days, 20 days ago: 60 s would fit the point budget, but data over 15 days old comes in 5-minute periods.
        Assert.Equal(300, UsageRange.ChoosePeriod(Now.AddDays(-20), Now.AddDays(-18), Now));
        // A day 70 days ago: hourly.
        Assert.Equal(3600, UsageRange.ChoosePeriod(Now.AddDays(-70), Now.AddDays(-69), Now));
    }

    [Fact]
    public async Task PickingAPresetRaisesTheRangeWithItsPeriod()
    {
        await using var ctx = new DashboardTestContext();
        UsageRange? picked = null;
        var cut = ctx.Render<UsageRangePicker>(p => p
            .Add(x => x.Now, () => Now)
            .Add(x => x.Range, UsageRange.For(UsageRangeKind.LastDay, Now))
            .Add(x => x.RangeChanged, r => picked = r));

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "1 week").Click();

        cut.WaitForAssertion(() => Assert.Equal(UsageRangeKind.LastWeek, picked?.Kind));
        Assert.Equal(900, picked!.PeriodSeconds);
    }

    [Fact]
    public async Task CustomRangeDefaultsToTwoWeeksAndSaysItsPeriod()
    {
        await using var ctx = new DashboardTestContext();
        UsageRange? picked = null;
        var cut = ctx.Render<UsageRangePicker>(p => p
            .Add(x => x.Now, () => Now)
            .Add(x => x.RangeChanged, r => picked = r));

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Custom").Click();

        cut.WaitForAssertion(() => Assert.Equal(UsageRangeKind.Custom, picked?.Kind));
        Assert.Equal(3600, picked!.PeriodSeconds);
        Assert.Equal(new DateTimeOffset(2026, 11, 14, 0, 0, 0, TimeSpan.Zero), picked.Start);
        cut.Render(p => p.Add(x => x.Range, picked));
        Assert.Contains("1-hour periods", cut.Find("#range-description").TextContent);
    }

    [Theory]
    [InlineData(-1, -2, "The end must be after the start.")]
    [InlineData(-500, -400, "CloudWatch keeps data for 455 days")]
    public void InvalidCustomRangesSayWhy(int startDays, int endDays, string message) =>
        Assert.StartsWith(message, UsageRange.Validate(Now.AddDays(startDays), Now.AddDays(endDays), Now));
}
