using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Shell;

[Collection(DashboardCollection.Name)]
public sealed class RegionsPageTests(DashboardFixture fixture)
{
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];

    private static ILocator StatusOf(IPage page, string region) => page.Locator($".region-status[data-region='{region}']");

    [SkippableFact]
    public async Task AnOutageInOneRegionShowsItDownWhileTheOtherFiveStayUp()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            // Faults change what every user sees: only an Admin may inject them.
            await DashboardFixture.SignInAsync(page, "adele", ["Admin"], "/regions");
            await Assertions.Expect(page.Locator("#regions-table tbody tr")).ToHaveCountAsync(Regions.Length);
            foreach (var region in Regions)
                await Assertions.Expect(StatusOf(page, region)).ToHaveTextAsync("Reachable", new() { Timeout = 60_000 });

            await page.Locator("#outage-eu-central-1").ClickAsync();

            await Assertions.Expect(StatusOf(page, "eu-central-1")).ToHaveTextAsync("Unreachable", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator(".sandbox-fault[data-region='eu-central-1']")).ToHaveTextAsync("outage");
            // A full probe round later, the others are still up.
            await page.Locator("#probe-now").ClickAsync();
            await Assertions.Expect(page.Locator("#probe-now")).ToBeEnabledAsync();
            foreach (var region in Regions.Where(r => r != "eu-central-1"))
                await Assertions.Expect(StatusOf(page, region)).ToHaveTextAsync("Reachable");
            await Assertions.Expect(StatusOf(page, "eu-central-1")).ToHaveTextAsync("Unreachable");
            await DashboardFixture.ScreenshotAsync(page, "regions-outage");

            await page.Locator("#clear-eu-central-1").ClickAsync();
            await Assertions.Expect(StatusOf(page, "eu-central-1")).ToHaveTextAsync("Reachable", new() { Timeout = 60_000 });
        }
        finally
        {
            fixture.ResetSandboxFaults();
            await page.Context.CloseAsync();
        }
    }
}
