using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Drills;

/// <summary>
/// Failover drills in the running app: an outage switched on in the Regions page makes the drill of payments-prod fail
/// exactly eu-west-1's row and column; the /drills page at desktop and phone widths, light and dark.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FailoverDrillTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task AnOutageSwitchedOnInTheRegionsPageFailsExactlyThatRegionsCellsOfTheDrill()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "otto", ["Operator", "Admin"]);
            await DashboardFixture.GotoInteractiveAsync(page, "/keys");
            var row = page.Locator("tr.key-row", new() { HasText = "payments-prod" }).First;
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 90_000 });
            var keyId = (await row.GetAttributeAsync("data-key-id"))!;

            await DashboardFixture.GotoInteractiveAsync(page, "/regions");
            await page.Locator("#outage-eu-west-1").ClickAsync();
            await Assertions.Expect(page.Locator("#outage-eu-west-1")).ToContainTextAsync("Restore");

            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}");
            await page.Locator(".mud-tab", new() { HasText = "Failover drill" }).ClickAsync();
            await page.Locator("#drill-run").ClickAsync();
            await Assertions.Expect(page.Locator("#drill-summary")).ToHaveAttributeAsync("data-serves-alone", "false", new() { Timeout = 90_000 });

            var cells = page.Locator("#drill-matrix td.cell");
            var count = await cells.CountAsync();
            Assert.Equal(16, count); // payments-prod: us-east-1, us-west-2, eu-west-1, ap-southeast-1
            for (var i = 0; i < count; i++)
            {
                var cell = cells.Nth(i);
                var involved = await cell.GetAttributeAsync("data-source") == "eu-west-1" || await cell.GetAttributeAsync("data-target") == "eu-west-1";
                var status = await cell.GetAttributeAsync("data-status");
                Assert.True(involved == (status != "Ok"), $"{await cell.GetAttributeAsync("data-source")} -> {await cell.GetAttributeAsync("data-target")}: {status}");
            }
            // payments-prod has no alias in ap-southeast-1: the drill used the key id there and says so.
            await Assertions.Expect(page.Locator("#drill-notes")).ToContainTextAsync("No alias in ap-southeast-1");
            await DashboardFixture.ScreenshotAsync(page, "drill-key-tab-outage");
        }
        finally
        {
            fixture.ResetSandboxFaults();
            await page.Context.CloseAsync();
        }
    }

    [SkippableTheory]
    [MemberData(nameof(PageFit.DesktopAndPhone), MemberType = typeof(PageFit))]
    public Task TheDrillsPageRunsADrillAndFitsItsWidth(int width, int height, string theme) =>
        PageFit.CheckAsync(fixture, width, height, theme, "drills", async page =>
        {
            await DashboardFixture.SignInAsync(page, "olga", ["Operator"], "/drills");
            var payments = page.Locator("#drills-table tr", new() { HasText = "payments-prod" }).First;
            await Assertions.Expect(payments).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await payments.Locator("input[type=checkbox]").CheckAsync();
            await page.Locator("#drills-run").ClickAsync();
            await Assertions.Expect(page.Locator("#drills-shown #drill-summary")).ToHaveAttributeAsync("data-serves-alone", "true", new() { Timeout = 90_000 });
            await Assertions.Expect(payments).ToContainTextAsync("every Region serves alone");
        });
}
