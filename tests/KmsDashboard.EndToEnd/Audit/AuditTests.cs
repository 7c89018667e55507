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
            // Others' use of the key (the dashboard's own reads hidden, as by default): the modelled traffic's cryptographic
            // calls (which of them is newest depends on the moment: S3's GenerateDataKey, the apps' Decrypt and Encrypt).
            await Assertions.Expect(page.Locator("#audit-grid")).ToContainTextAsync(
                new System.Text.RegularExpressions.Regex("Decrypt|Encrypt|GenerateDataKey"), new() { Timeout = 30_000 });
            // The export holds every event; the grid hides the dashboard's own reads until asked: show them to compare.
            var hideOwn = page.Locator("#audit-hide-own");
            if (await hideOwn.EvaluateAsync<string>("e => e.tagName") != "INPUT") hideOwn = hideOwn.Locator("input");
            await hideOwn.UncheckAsync();
            await Assertions.Expect(page.Locator("#audit-export")).ToContainTextAsync("shown)");
            var shown = int.Parse((await count.Locator("b").InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);
            Assert.True(shown > 0);
            Assert.Matches(@"from [3-9] Regions", await count.InnerTextAsync());
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

            // The activity chart: a click on a bar shows only that hour's events of that name in the table.
            await Assertions.Expect(page.Locator("#audit-activity-plot .xtick text").First).ToBeVisibleAsync();
            // Plotly takes clicks on its drag layer and names the bar under the pointer: here the bottom of the last
            // bucket's stack.
            var plotArea = page.Locator("#audit-activity-plot .nsewdrag").First;
            var box = (await plotArea.BoundingBoxAsync())!;
            // The last bucket's tallest segment (which event is first in the stack, and whether it has any events in that
            // hour, depends on the moment the test runs).
            // The first path may be an empty bucket (zero height, so hidden): wait for any drawn segment.
            await Assertions.Expect(page.Locator("#audit-activity-plot .barlayer .trace .point path").Filter(new() { Visible = true }).First).ToBeVisibleAsync();
            LocatorBoundingBoxResult? lastBar = null;
            foreach (var point in await page.Locator("#audit-activity-plot .barlayer .trace .point path").AllAsync())
            {
                // Plotly draws empty buckets as zero-height paths: only a visible segment can be clicked.
                var candidate = await point.BoundingBoxAsync();
                if (candidate is not null && candidate.Height >= 2 && (lastBar is null || candidate.X > lastBar.X + 1 || Math.Abs(candidate.X - lastBar.X) <= 1 && candidate.Height > lastBar.Height))
                    lastBar = candidate;
            }
            Assert.NotNull(lastBar);
            var at = new Position { X = lastBar.X + lastBar.Width / 2 - box.X, Y = lastBar.Y + lastBar.Height / 2 - box.Y };
            await plotArea.HoverAsync(new() { Position = at });
            await plotArea.ClickAsync(new() { Position = at });
            var selection = page.Locator("#audit-selection");
            await Assertions.Expect(selection).ToBeVisibleAsync();
            Assert.Matches(@"^[\d,]+ of [\d,]+ events$", (await page.Locator("#audit-selection-count").InnerTextAsync()).Trim());
            var name = (await selection.InnerTextAsync()).Split(',')[0].Trim();
            var events = await page.Locator("#audit-grid tbody tr:not([aria-hidden]) td:nth-child(3)").AllInnerTextsAsync();
            Assert.NotEmpty(events);
            // The bar clicked is a stack of the last bucket: one of the chart's named series.
            var series = await page.Locator("#audit-activity-plot .legend .legendtext").AllTextContentsAsync();
            Assert.Contains(name, series.Select(x => x.Trim()));
            Assert.All(events, e => Assert.Equal(name, e.Trim()));
            await DashboardFixture.ScreenshotAsync(page, "audit-activity-selected");
            await page.Locator("#audit-activity-by").GetByText("By user").ClickAsync();
            await Assertions.Expect(selection).ToHaveCountAsync(0);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task ANarrowedSearchSaysHowFarEachRegionHasGotAndWhatIsCheckedHere()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "ada", ["Auditor"], "/");
            await DashboardFixture.GotoInteractiveAsync(page, $"/audit?{Range(TimeSpan.FromHours(24))}&regions=us-east-1,eu-west-1&event=Decrypt&readonly=true");

            // While CloudTrail is read (two pages a second per Region), each Region shows its pages and events.
            await Assertions.Expect(page.Locator(".audit-progress-region").First).ToContainTextAsync("pages", new() { Timeout = 60_000 });
            await DashboardFixture.ScreenshotAsync(page, "audit-search-progress");
            await Assertions.Expect(page.Locator("#audit-count")).ToBeVisibleAsync(new() { Timeout = 180_000 });

            // Afterwards each Region's chip keeps the count: pages read and events read (the client-side check drops some).
            var usEast = page.Locator("#audit-export .mud-chip", new() { HasText = "us-east-1:" });
            await Assertions.Expect(usEast).ToHaveAttributeAsync("title", new Regex(@"^[1-9]\d* pages, [\d,]+ events read$"));
            await Assertions.Expect(page.Locator("#audit-narrow-event")).ToHaveValueAsync("Decrypt");
            await Assertions.Expect(page.Locator("#audit-export")).ToContainTextAsync("CloudTrail is asked for event Decrypt only; reads only is checked here");
            var events = await page.Locator("#audit-grid tbody tr:not([aria-hidden]) td:nth-child(3)").AllInnerTextsAsync();
            Assert.NotEmpty(events);
            Assert.All(events, e => Assert.Equal("Decrypt", e.Trim()));
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
