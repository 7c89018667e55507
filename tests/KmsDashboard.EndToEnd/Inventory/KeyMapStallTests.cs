using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using KmsDashboard.EndToEnd.Infrastructure;
using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Inventory;

/// <summary>In the browser: a key the dashboard may not read and a slow Region, while the rest of the map is complete.</summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyMapStallTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task AnUnreadableKeyAndASlowRegionShowOnTheKeyMapWithoutHoldingUpTheRest()
    {
        var page = await fixture.NewPageAsync();
        using var alice = new AmazonKeyManagementServiceClient(new BasicAWSCredentials(DemoAccessKeys.Alice, "secret"),
            new AmazonKeyManagementServiceConfig { ServiceURL = fixture.Sandbox.Url.ToString(), AuthenticationRegion = "us-east-1" });
        var key = (await alice.CreateKeyAsync(new CreateKeyRequest
        {
            Description = "alice only",
            Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"kms:*","Resource":"*"}]}""",
        })).KeyMetadata;
        try
        {
            await DashboardFixture.GotoInteractiveAsync(page, "/keys");
            await Assertions.Expect(page.Locator("tr.key-row").First).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(page.Locator("#inventory-refresh")).ToBeEnabledAsync(new() { Timeout = 90_000 });
            fixture.Sandbox.Services.GetRequiredService<SandboxFaults>().Set("ap-southeast-1", new RegionFault(Latency: TimeSpan.FromSeconds(20)));

            await page.Locator("#inventory-refresh").ClickAsync();

            await Assertions.Expect(page.Locator("#key-matrix th[data-region='ap-southeast-1'] .region-loading")).ToContainTextAsync("loading since");
            var cell = page.Locator($"tr.key-row[data-key-id='{key.KeyId}'] td[data-region='us-east-1']");
            await Assertions.Expect(cell).ToContainTextAsync("not readable", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#key-matrix th .region-loading")).ToHaveCountAsync(1);
            await page.SetViewportSizeAsync(1440, 900);
            await page.Locator($"tr.key-row[data-key-id='{key.KeyId}']").ScrollIntoViewIfNeededAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, "inventory-key-map-stall-1440.png") });
            await page.SetViewportSizeAsync(390, 844);
            await DashboardFixture.ScreenshotAsync(page, "inventory-key-map-stall-390");
            await page.SetViewportSizeAsync(1440, 900);

            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{key.KeyId}");
            await Assertions.Expect(page.Locator(".key-unreadable")).ToContainTextAsync("Not readable in us-east-1");
            await DashboardFixture.ScreenshotAsync(page, "inventory-key-unreadable");
        }
        finally
        {
            fixture.ResetSandboxFaults();
            await page.Context.CloseAsync();
            // Leave the shared sandbox as the other tests expect it: the key goes (alice may schedule its deletion).
            await alice.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        }
    }
}
