using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Layout;

/// <summary>
/// Every page as a new user sees it, at a desktop and a phone width, light and dark: the app bar's controls stay on
/// screen, nothing scrolls the page sideways, and a screenshot of each is kept under TestResults/screenshots/layout-*.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class PageLayoutTests(DashboardFixture fixture)
{
    private static readonly string[] Pages = ["/", "/keys", "/wizards", "/runbooks", "/journal", "/usage", "/cost", "/audit", "/findings", "/regions"];

    [SkippableTheory]
    [InlineData(1440, 900, "light")]
    [InlineData(1440, 900, "dark")]
    [InlineData(1280, 800, "light")]
    [InlineData(390, 844, "light")]
    [InlineData(390, 844, "dark")]
    public async Task EveryPageFitsItsWidthWithTheAppBarControlsOnScreen(int width, int height, string theme)
    {
        var page = await PageFit.NewPageAsync(fixture, width, height, theme);
        try
        {
            // The sign-in page is plain server-rendered HTML in the app's layout: same app bar, same theme.
            await page.GotoAsync("/signin");
            await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-theme", theme);
            await Assertions.Expect(page.Locator(".mud-appbar")).ToContainTextAsync("KmsDashboard");
            await DashboardFixture.ScreenshotAsync(page, $"layout-signin-{width}-{theme}");
            await PageFit.AssertNoSidewaysScrollAsync(page, width, "/signin");
            await DashboardFixture.SignInAsync(page, "layla", ["Admin", "Auditor"], "/");
            var now = DateTime.UtcNow;
            string F(DateTime t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            // The Audit page with results (its activity chart and table), over a short window so CloudTrail's pace costs little.
            var auditWithResults = $"/audit?from={F(now.AddHours(-3))}&to={F(now)}&regions=us-east-1&keyset=false";
            foreach (var path in Pages.Append(auditWithResults))
            {
                await DashboardFixture.GotoInteractiveAsync(page, path);
                await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-theme", theme);
                var name = path == "/" ? "overview" : path == auditWithResults ? "audit-results" : path.Trim('/');
                if (path == auditWithResults)
                    await Assertions.Expect(page.Locator("#audit-activity-plot .xtick text").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
                if (width >= 960)
                {
                    // The drawer's column reaches the bottom of the page, however tall (it is one viewport tall itself).
                    var painted = await page.EvaluateAsync<bool>(@"() => {
                        const layout = document.querySelector('.mud-layout');
                        return getComputedStyle(layout).backgroundImage.includes('linear-gradient')
                            && layout.getBoundingClientRect().height >= document.documentElement.scrollHeight - 1; }");
                    Assert.True(painted, $"{path} at {width} px: the drawer's column does not reach the bottom of the page");
                }
                await DashboardFixture.ScreenshotAsync(page, $"layout-{name}-{width}-{theme}");
                foreach (var control in new[] { "#theme-toggle", "#user-badge", "#backend-banner" })
                {
                    var box = await page.Locator(control).First.BoundingBoxAsync();
                    Assert.True(box is not null && box.X >= 0 && box.X + box.Width <= width + 1,
                        $"{control} on {path} at {width} px is off screen ({box?.X}..{box?.X + box?.Width})");
                }
                if (path == "/keys")
                {
                    // A phone gets one card per key (its Regions only); a desktop gets the Region grid.
                    var narrow = width < 600;
                    await Assertions.Expect(page.Locator(narrow ? "#key-list .key-card" : "#key-matrix tr.key-row").First).ToBeVisibleAsync();
                    await Assertions.Expect(page.Locator(narrow ? "#key-matrix" : "#key-list")).ToBeHiddenAsync();
                }
                await PageFit.AssertNoSidewaysScrollAsync(page, width, path);
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
