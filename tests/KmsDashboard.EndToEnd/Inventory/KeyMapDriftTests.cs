using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Inventory;

[Collection(DashboardCollection.Name)]
public sealed class KeyMapDriftTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task FromTheKeyMapADriftedKeySetOpensWithItsDifferencesHighlighted()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.GotoInteractiveAsync(page, "/keys");
            // The background refresh fills the map once the sandbox has been read.
            var rows = page.Locator("tr.key-row");
            await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator("#key-matrix th[data-region='ap-northeast-1']")).ToBeVisibleAsync();

            await page.GetByText("Drift only").ClickAsync();

            await Assertions.Expect(page.Locator("tr.key-row:not(.drifted)")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("tr.key-row.drifted").First).ToBeVisibleAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("drift=true"));
            var payments = page.Locator("tr.key-row.drifted", new() { HasText = "payments-prod" });
            await Assertions.Expect(payments.Locator("td.cell.drift[data-region='eu-west-1']")).ToBeVisibleAsync();
            await DashboardFixture.ScreenshotAsync(page, "inventory-key-map-drift");

            await payments.Locator("a.key-name").ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/keys/mrk-[0-9a-f]{32}$"));
            var euTags = page.Locator("#key-regions tr[data-region='eu-west-1'] td[data-property='Tags']");
            await Assertions.Expect(euTags).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drift-cell"));
            await Assertions.Expect(page.Locator("#key-regions tr[data-region='us-west-2'] td.drift-cell")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#drift-list li[data-region='ap-southeast-1']")).ToContainTextAsync("alias/payments-prod is missing");
            await DashboardFixture.ScreenshotAsync(page, "inventory-key-detail-drift");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
