using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Dependents;

/// <summary>The Dependents tab in the running app: scan a bucket of payments-prod, see its per-key counts, and the blast radius in the Disable plan.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DependentsTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task AnAdminScansABucketOfPaymentsProdAndSeesTheBlastRadiusInTheDisablePlan()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "ada", ["Admin"]);
            await DashboardFixture.GotoInteractiveAsync(page, "/keys");
            var row = page.Locator("tr.key-row", new() { HasText = "payments-prod" }).First;
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 90_000 });
            var keyId = (await row.GetAttributeAsync("data-key-id"))!;

            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}");
            await page.Locator(".mud-tab", new() { HasText = "Dependents" }).ClickAsync();
            var bucket = page.Locator("#dependent-buckets tr[data-bucket='myapp-primary']");
            await Assertions.Expect(bucket).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#dependent-replication tr[data-rule='myapp-to-singapore']")).ToContainTextAsync("myapp-replica");
            await bucket.Locator("[data-action='scan']").ClickAsync();
            await Assertions.Expect(bucket.Locator(".scan-counts tr.this-key .scan-count")).ToHaveTextAsync("12", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#blast-radius")).ToContainTextAsync("would lose access");
            await DashboardFixture.ScreenshotAsync(page, "dependents-tab");

            await page.Locator("#action-disable").ClickAsync();
            var dialog = page.Locator(".mud-dialog").Last;
            if (await dialog.Locator("#plan-dependents").CountAsync() == 0 && await dialog.Locator("#plan-button").IsEnabledAsync())
                await dialog.Locator("#plan-button").ClickAsync();
            await Assertions.Expect(dialog.Locator("#plan-dependents")).ToContainTextAsync("1 bucket", new() { Timeout = 60_000 });
            await Assertions.Expect(dialog.Locator("#plan-dependents")).ToContainTextAsync("(in us-east-1) would lose access");
            await DashboardFixture.ScreenshotAsync(page, "dependents-disable-plan");
            await dialog.Locator("#cancel").ClickAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
