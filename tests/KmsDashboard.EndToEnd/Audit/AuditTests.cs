using System.Globalization;
using System.Text.RegularExpressions;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Audit;

[Collection(DashboardCollection.Name)]
public sealed partial class AuditTests(DashboardFixture fixture)
{
    private static string Range(TimeSpan back)
    {
        var now = DateTime.UtcNow;
        string F(DateTime t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        return $"from={F(now - back)}&to={F(now.AddMinutes(-1))}";
    }

    [GeneratedRegex(@"^# complete \| events: (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex CompleteLine();

    [SkippableFact]
    public async Task AnAuditorFiltersByAnAliasSeesSeveralRegionsAndExportsEveryEvent()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            var url = $"/audit?{Range(TimeSpan.FromHours(6))}&keyset=true&filter=key&value={Uri.EscapeDataString("alias/payments-prod")}";
            await DashboardFixture.SignInAsync(page, "ada", ["Auditor"], url);
            await DashboardFixture.WaitForInteractiveAsync(page);

            var count = page.Locator("#audit-count");
            await Assertions.Expect(count).ToBeVisibleAsync(new() { Timeout = 120_000 });
            // The export holds every event; the grid hides the dashboard's own reads until asked: show them to compare.
            var hideOwn = page.Locator("#audit-hide-own");
            if (await hideOwn.EvaluateAsync<string>("e => e.tagName") != "INPUT") hideOwn = hideOwn.Locator("input");
            await hideOwn.UncheckAsync();
            await Assertions.Expect(page.Locator("#audit-export")).ToContainTextAsync("shown)");
            var shown = int.Parse((await count.Locator("b").InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);
            Assert.True(shown > 0);
            Assert.Matches(@"from [3-9] Regions", await count.InnerTextAsync());
            await Assertions.Expect(page.Locator("#audit-grid")).ToContainTextAsync("Decrypt");
            await DashboardFixture.ScreenshotAsync(page, "audit-alias-several-regions");

            await page.Locator("#audit-grid tbody tr:not([aria-hidden])").First.ClickAsync();
            await Assertions.Expect(page.Locator("#audit-record")).ToContainTextAsync("\"eventSource\": \"kms.amazonaws.com\"");
            await DashboardFixture.ScreenshotAsync(page, "audit-event-drawer");
            await page.Locator("#audit-event-detail button[aria-label='Close']").ClickAsync();
            await Assertions.Expect(page.Locator("#audit-record")).ToHaveCountAsync(0);

            var file = Path.Combine(DashboardFixture.ScreenshotDirectory, "audit-export.csv");
            for (var attempt = 1; ; attempt++)
            {
                var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#audit-export-csv").ClickAsync(), new() { Timeout = 180_000 });
                try
                {
                    await download.SaveAsAsync(file);
                    break;
                }
                catch (PlaywrightException ex) when (attempt == 1 && ex.Message.Contains("canceled", StringComparison.Ordinal))
                {
                    // Chromium on a loaded CI machine once cancelled the streamed download; a second export must succeed.
                }
            }
            var text = await File.ReadAllTextAsync(file);
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

            Assert.StartsWith("# KmsDashboard CloudTrail export | query: key=alias/payments-prod", lines[0]);
            var complete = CompleteLine().Match(text);
            Assert.True(complete.Success, lines[^1]);
            var rows = lines.Skip(2).Count(l => !l.StartsWith('#'));
            Assert.Equal(int.Parse(complete.Groups[1].Value, CultureInfo.InvariantCulture), rows);
            Assert.Equal(shown, rows);
            Assert.True(lines.Skip(2).Where(l => !l.StartsWith('#')).Select(l => l.Split(',')[1]).Distinct().Count() >= 3);
            await Assertions.Expect(page.Locator("#audit-export-progress")).ToContainTextAsync("Export complete", new() { Timeout = 60_000 });
            await DashboardFixture.ScreenshotAsync(page, "audit-export-complete");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task AViewerCannotExport()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "val", ["Viewer"], "/");
            await DashboardFixture.WaitForInteractiveAsync(page);

            var response = await page.APIRequest.GetAsync($"/audit/export?format=csv&{Range(TimeSpan.FromHours(1))}&regions=us-east-1");

            Assert.Equal(403, response.Status);
            Assert.DoesNotContain("KmsDashboard CloudTrail export", await response.TextAsync());
            await Assertions.Expect(page.Locator("a[href='audit']")).ToHaveCountAsync(1);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task TheKeyPageShowsRecentActivityAcrossItsRegions()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "ada", ["Auditor"], "/keys");
            await DashboardFixture.WaitForInteractiveAsync(page);
            var payments = page.Locator("tr.key-row", new() { HasText = "payments-prod" });
            await Assertions.Expect(payments.First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await payments.First.Locator("a.key-name").ClickAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();

            var activity = page.Locator("#key-activity");
            await Assertions.Expect(activity.Locator("tbody tr").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
            await Assertions.Expect(activity).ToContainTextAsync("every Region of this key");
            await DashboardFixture.ScreenshotAsync(page, "audit-key-activity");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
