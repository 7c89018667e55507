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
}
