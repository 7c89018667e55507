using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Inventory;

/// <summary>
/// The sandbox's two demo accounts (demo-security 111122223333 and demo-payments 444455556666), which the embedded
/// sandbox mode reads with <c>Backend:SandboxDemoAccounts=true</c>: the key map's account column and filter, and the
/// Overview's figures per account, the Audit page's account filter. One app of its own (the shared one reads the single demo account).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class AccountsTests
{
    private const string Security = "111122223333", Payments = "444455556666";

    [SkippableFact]
    public async Task TheKeyMapFiltersByAccountFromTheUrlAndTheSelectAndTheOverviewShowsEachAccountAndTheTotal()
    {
        var fixture = new DashboardFixture(new DashboardAppFactory(new Dictionary<string, string?> { ["Backend:SandboxDemoAccounts"] = "true" }));
        await fixture.InitializeAsync();
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.GotoInteractiveAsync(page, "/keys");
            var rows = page.Locator("tr.key-row");
            await Assertions.Expect(page.Locator($"tr.key-row td.account-col[data-account='{Payments}']").First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator($"tr.key-row td.account-col[data-account='{Security}']").First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            // card-vault lives in demo-payments, in its three Regions.
            var vault = page.Locator("tr.key-row", new() { HasText = "card-vault" });
            await Assertions.Expect(vault.Locator("td.account-col")).ToHaveAttributeAsync("data-account", Payments);
            await Assertions.Expect(vault.Locator("td.account-col")).ToContainTextAsync("demo-payments");

            // The filter is in the URL: a shared link shows one account's keys only.
            await DashboardFixture.GotoInteractiveAsync(page, $"/keys?account={Payments}");
            await Assertions.Expect(page.Locator($"tr.key-row td.account-col[data-account='{Payments}']").First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator($"tr.key-row td.account-col[data-account='{Security}']")).ToHaveCountAsync(0);
            // A native select: its value is the account id, its options the account labels.
            var select = page.Locator("select#filter-account");
            await Assertions.Expect(select).ToHaveValueAsync(Payments);
            await Assertions.Expect(select.Locator("option:checked")).ToContainTextAsync("demo-payments");

            // Choosing the other account in the select rewrites the URL and the rows.
            await select.SelectOptionAsync(new SelectOptionValue { Value = Security });
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"account={Security}"));
            await Assertions.Expect(page.Locator($"tr.key-row td.account-col[data-account='{Payments}']")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator($"tr.key-row td.account-col[data-account='{Security}']").First).ToBeVisibleAsync();

            // The key page names the account.
            await DashboardFixture.GotoInteractiveAsync(page, $"/keys?account={Payments}&q=card-vault");
            await page.Locator("tr.key-row", new() { HasText = "card-vault" }).Locator("a.key-name").ClickAsync();
            await Assertions.Expect(page.Locator("#key-account")).ToContainTextAsync($"demo-payments ({Payments})");

            // The rotation wizards work in the key's account: the key page's links carry it, and each wizard shows it.
            var keyPage = new Uri(page.Url).PathAndQuery;
            await DashboardFixture.SignInAsync(page, "otto", ["Operator"], keyPage);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Rotation" }).ClickAsync();
            await page.Locator("#wizard-manual").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"wizards/manual-rotation\\?key=mrk-[0-9a-f]+&account={Payments}"));
            await Assertions.Expect(page.Locator("#wizard-account")).ToContainTextAsync($"demo-payments ({Payments})", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#aliases [data-alias='ap-southeast-1:alias/card-vault']")).ToBeVisibleAsync();
            var manualRotation = page.Url;
            await DashboardFixture.GotoInteractiveAsync(page, keyPage);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Rotation" }).ClickAsync();
            await page.Locator("#wizard-on-demand").ClickAsync();
            // Read fresh from the payments account's primary: its three Regions, the account named.
            await Assertions.Expect(page.Locator("#step-status #wizard-account")).ToContainTextAsync($"demo-payments ({Payments})", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#step-status")).ToContainTextAsync("us-east-1, ap-southeast-1, eu-west-1");

            // The Overview: one line per account, and a total that is their sum.
            await DashboardFixture.GotoInteractiveAsync(page, "/");
            var table = page.Locator("#account-figures");
            await Assertions.Expect(table.Locator($"tr[data-account='{Payments}'][data-healthy='true']")).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(table.Locator($"tr[data-account='{Security}'][data-healthy='true']")).ToBeVisibleAsync(new() { Timeout = 90_000 });
            foreach (var figure in new[] { "keys", "key-sets", "replicas", "single" })
            {
                var security = int.Parse(await table.Locator($"tr[data-account='{Security}'] td[data-figure='{figure}']").InnerTextAsync());
                var payments = int.Parse(await table.Locator($"tr[data-account='{Payments}'] td[data-figure='{figure}']").InnerTextAsync());
                var total = int.Parse(await table.Locator($"tr[data-account='total'] td[data-figure='{figure}']").InnerTextAsync());
                Assert.Equal(security + payments, total);
                Assert.True(payments > 0 || figure == "replicas" && payments >= 0, $"{figure}: demo-payments shows {payments}");
            }
            Assert.Equal(await page.Locator("#count-keys").InnerTextAsync(), await table.Locator("tr[data-account='total'] td[data-figure='keys']").InnerTextAsync());

            // Screenshots: key map and Overview, 1440 and 390 wide, light and dark.
            foreach (var theme in new[] { "light", "dark" })
            {
                await page.Context.AddCookiesAsync([new Cookie { Name = "kmsdash-theme", Value = theme, Url = fixture.BaseUrl.ToString() }]);
                foreach (var width in new[] { 1440, 390 })
                {
                    await page.SetViewportSizeAsync(width, 900);
                    await DashboardFixture.GotoInteractiveAsync(page, "/keys");
                    await Assertions.Expect(page.Locator("#row-count")).ToBeVisibleAsync();
                    await page.WaitForTimeoutAsync(500); // the virtualized rows render after the count
                    await DashboardFixture.ScreenshotAsync(page, $"accounts-key-map-{width}-{theme}");
                    await DashboardFixture.GotoInteractiveAsync(page, "/");
                    await Assertions.Expect(page.Locator("#account-figures")).ToBeVisibleAsync();
                    await DashboardFixture.ScreenshotAsync(page, $"accounts-overview-{width}-{theme}");
                    await DashboardFixture.GotoInteractiveAsync(page, new Uri(manualRotation).PathAndQuery);
                    await Assertions.Expect(page.Locator("#wizard-account")).ToBeVisibleAsync();
                    await DashboardFixture.ScreenshotAsync(page, $"accounts-manual-rotation-{width}-{theme}");
                    await PageFit.AssertNoSidewaysScrollAsync(page, width);
                }
            }

            // The Audit page narrowed to the payments account (?account=): only its events, in an Account column.
            await page.Context.AddCookiesAsync([new Cookie { Name = "kmsdash-theme", Value = "light", Url = fixture.BaseUrl.ToString() }]);
            await page.SetViewportSizeAsync(1440, 900);
            var now = DateTime.UtcNow;
            string Time(DateTime t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            var audit = $"/audit?from={Time(now.AddHours(-2))}&to={Time(now.AddMinutes(-1))}&account={Payments}";
            await DashboardFixture.SignInAsync(page, "ada", ["Auditor"], audit);
            await Assertions.Expect(page.Locator("#audit-count")).ToBeVisibleAsync(new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("select#audit-account")).ToHaveValueAsync(Payments);
            await Assertions.Expect(page.Locator("#audit-grid th", new() { HasText = "Account" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator($"#audit-grid .audit-account[data-account='{Payments}']").First).ToContainTextAsync("demo-payments", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator($"#audit-grid .audit-account:not([data-account='{Payments}'])")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#audit-count")).ToContainTextAsync("of 1 account");
            await Assertions.Expect(page.Locator($".audit-outcome:not([data-account='{Payments}'])")).ToHaveCountAsync(0);
            Assert.True(await page.Locator($".audit-outcome[data-account='{Payments}']").CountAsync() == 3);
            // The activity chart counts the payments account's events too.
            await Assertions.Expect(page.Locator("#audit-activity-plot .xtick text").First).ToBeVisibleAsync();
            await DashboardFixture.ScreenshotAsync(page, "accounts-audit-payments-1440");
            // Every account: both accounts' events, merged newest first.
            await DashboardFixture.GotoInteractiveAsync(page, $"/audit?from={Time(now.AddHours(-2))}&to={Time(now.AddMinutes(-1))}");
            await Assertions.Expect(page.Locator("#audit-count")).ToContainTextAsync("of 2 accounts", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("#audit-activity-plot .xtick text").First).ToBeVisibleAsync();
            // With the Account column every column still fits 1440 px: the grid does not scroll sideways, Outcome is on screen.
            await Assertions.Expect(page.Locator("#audit-grid .audit-account").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var gridOverflow = await page.EvaluateAsync<int>("(() => { const c = document.querySelector('#audit-grid .mud-table-container'); return c.scrollWidth - c.clientWidth; })()");
            Assert.True(gridOverflow <= 1, $"the Audit grid scrolls sideways by {gridOverflow} px at 1440 px");
            var outcome = (await page.Locator("#audit-grid th", new() { HasText = "Outcome" }).BoundingBoxAsync())!;
            Assert.True(outcome.X + outcome.Width <= 1440, $"the Outcome column ends at {outcome.X + outcome.Width} px");
            await DashboardFixture.ScreenshotAsync(page, "accounts-audit-1440");
            await page.SetViewportSizeAsync(390, 900);
            await page.WaitForTimeoutAsync(500);
            await DashboardFixture.ScreenshotAsync(page, "accounts-audit-390");
            await PageFit.AssertNoSidewaysScrollAsync(page, 390);
        }
        finally
        {
            await page.Context.CloseAsync();
            await fixture.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task APaymentsKeysDependentsTabShowsItsAccountsBucketsAndTheUsagePageFitsEveryWidthWithTwoAccounts()
    {
        var fixture = new DashboardFixture(new DashboardAppFactory(new Dictionary<string, string?> { ["Backend:SandboxDemoAccounts"] = "true" }));
        await fixture.InitializeAsync();
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "ada", ["Admin", "Auditor"], $"/keys?account={Payments}&q=card-vault");
            var row = page.Locator("tr.key-row", new() { HasText = "card-vault" }).First;
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 90_000 });
            var keyId = (await row.GetAttributeAsync("data-key-id"))!;

            // The Dependents tab of card-vault reads the payments account: its two buckets, its replication rule, its grant.
            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}?account={Payments}");
            await page.Locator(".mud-tab", new() { HasText = "Dependents" }).ClickAsync();
            var archive = page.Locator($"#dependent-buckets tr[data-bucket='payments-card-archive'][data-account='{Payments}']");
            await Assertions.Expect(archive).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(archive.Locator("td.bucket-account")).ToHaveTextAsync("demo-payments");
            await Assertions.Expect(page.Locator($"#dependent-buckets tr[data-bucket='payments-card-archive-eu'][data-account='{Payments}']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#dependent-replication tr[data-rule='card-archive-to-ireland']")).ToContainTextAsync("payments-card-archive-eu");
            await Assertions.Expect(page.Locator(".dependents-region[data-region='us-east-1'] tr[data-grant]")).ToContainTextAsync($"arn:aws:iam::{Payments}:role/tokenizer");
            await Assertions.Expect(page.Locator("#blast-radius")).ToContainTextAsync("2 buckets");
            await Assertions.Expect(page.Locator("#s3-failing")).ToHaveCountAsync(0);
            // The replicate dialog of settlement-ledger (eu-west-1 and us-east-1) offers the payments account's one free Region
            // (ap-southeast-1), not the dashboard's other Regions.
            await DashboardFixture.GotoInteractiveAsync(page, $"/keys?account={Payments}&q=settlement-ledger");
            var ledger = page.Locator("tr.key-row", new() { HasText = "settlement-ledger" }).First;
            await Assertions.Expect(ledger).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{await ledger.GetAttributeAsync("data-key-id")}?account={Payments}");
            await page.Locator("#action-replicate").ClickAsync();
            var dialog = page.Locator(".mud-dialog").Last;
            await Assertions.Expect(dialog.Locator("[data-target-region='ap-southeast-1']")).ToBeVisibleAsync();
            await Assertions.Expect(dialog.Locator("[data-target-region]")).ToHaveCountAsync(1);
            await dialog.Locator("#cancel").ClickAsync();

            foreach (var width in new[] { 1440, 390 })
            {
                await page.SetViewportSizeAsync(width, 900);
                await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}?account={Payments}");
                await page.Locator(".mud-tab", new() { HasText = "Dependents" }).ClickAsync();
                await Assertions.Expect(archive).ToBeVisibleAsync(new() { Timeout = 90_000 });
                await DashboardFixture.ScreenshotAsync(page, $"accounts-dependents-{width}");
                await PageFit.AssertNoSidewaysScrollAsync(page, width, "the Dependents tab");
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
        try
        {
            // The Usage page with both accounts (a chart per account, longer key names) stays within every width.
            foreach (var (width, height, theme) in new[] { (1440, 900, "light"), (1440, 900, "dark"), (390, 844, "light"), (390, 844, "dark") })
                await PageFit.CheckAsync(fixture, width, height, theme, "accounts-usage", async usage =>
                {
                    await DashboardFixture.SignInAsync(usage, "ada", ["Viewer"], "/usage");
                    await Assertions.Expect(usage.Locator("#chart-accounts")).ToBeVisibleAsync(new() { Timeout = 90_000 });
                    await Assertions.Expect(usage.Locator("#chart-keys .legend")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                    await Assertions.Expect(usage.Locator("#usage-progress")).ToHaveCountAsync(0, new() { Timeout = 90_000 });
                });
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
