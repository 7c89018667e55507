using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Usage;

[Collection(DashboardCollection.Name)]
public sealed class UsagePagesTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task UsageShowsStackedChartsAndAKeysUsageTabShowsItsRegions()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.GotoInteractiveAsync(page, "/usage");
            await Assertions.Expect(page.Locator("#chart-regions .main-svg").First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator("#busiest-key")).ToContainTextAsync("payments-prod");
            await Assertions.Expect(page.Locator("#chart-keys .main-svg").First).ToBeVisibleAsync();

            await page.Locator("#usage-range-picker button", new() { HasText = "1 week" }).ClickAsync();
            await Assertions.Expect(page.Locator("#range-description")).ToContainTextAsync("15-minute periods");
            await Assertions.Expect(page.Locator("#usage-progress")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
            await DashboardFixture.ScreenshotAsync(page, "usage-overview");

            await DashboardFixture.GotoInteractiveAsync(page, "/keys");
            var payments = page.Locator("tr.key-row", new() { HasText = "payments-prod" });
            await Assertions.Expect(payments.First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await payments.First.Locator("a.key-name").ClickAsync();
            await page.Locator(".mud-tab", new() { HasText = "Usage" }).ClickAsync();

            await Assertions.Expect(page.Locator("#key-chart-regions .main-svg").First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator("#key-last-use tbody tr")).ToHaveCountAsync(4);
            await DashboardFixture.ScreenshotAsync(page, "usage-key-chart");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task OnAPhoneNoChartsLegendCoversItsTimeAxis()
    {
        // The top keys' legend is long (eight names): on a phone it takes several rows, which must not land on the dates.
        var page = await PageFit.NewPageAsync(fixture, 390, 844, "light");
        try
        {
            await DashboardFixture.GotoInteractiveAsync(page, "/usage");
            foreach (var chart in new[] { "chart-regions", "chart-operations", "chart-keys" })
            {
                await Assertions.Expect(page.Locator($"#{chart} .main-svg").First).ToBeVisibleAsync(new() { Timeout = 90_000 });
                await Assertions.Expect(page.Locator($"#{chart} .legend").First).ToBeAttachedAsync();
                await Assertions.Expect(page.Locator($"#{chart} .xtick text").First).ToBeAttachedAsync();
            }
            await page.Locator("#chart-keys").ScrollIntoViewIfNeededAsync();
            await DashboardFixture.ScreenshotAsync(page, "usage-charts-390");
            var overlaps = await page.EvaluateAsync<string[]>(@"() => ['chart-regions', 'chart-operations', 'chart-keys'].flatMap(id => {
                const chart = document.getElementById(id);
                const legend = chart.querySelector('.legend').getBoundingClientRect();
                return [...chart.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect())
                    .filter(r => r.width > 0 && r.bottom > legend.top && r.top < legend.bottom && r.right > legend.left && r.left < legend.right)
                    .map(() => id);
            })");
            Assert.Empty(overlaps);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
