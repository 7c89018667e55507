using System.Security.Claims;
using System.Text.RegularExpressions;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Actions;

/// <summary>Key actions in the running app on the sandbox: the right role does them, the wrong one is refused, the journal shows them.</summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyActionsTests(DashboardFixture fixture)
{
    private async Task<string> KeyIdOfAsync(IPage page, string alias)
    {
        await DashboardFixture.GotoInteractiveAsync(page, "/keys");
        var row = page.Locator("tr.key-row", new() { HasText = alias }).First;
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 90_000 });
        return (await row.GetAttributeAsync("data-key-id"))!;
    }

    [SkippableFact]
    public async Task AnOperatorReplicatesAKeySetToANewRegionSeesItOnTheKeyMapAndInTheJournal()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "olivia", ["Operator"]);
            var keyId = await KeyIdOfAsync(page, "customer-pii");

            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}");
            await page.Locator("#action-replicate").ClickAsync();
            var dialog = page.Locator(".mud-dialog").Last; // MudDialog renders in the provider; its own id is not on the container
            await dialog.Locator("[data-target-region='eu-west-1'] input").CheckAsync();
            await dialog.Locator("#plan-button").ClickAsync();
            await Assertions.Expect(dialog.Locator("#plan-calls")).ToContainTextAsync("ReplicaRegion=eu-west-1");
            await DashboardFixture.ScreenshotAsync(page, "actions-replicate-plan");
            await dialog.Locator("#confirm").ClickAsync();
            await Assertions.Expect(dialog.Locator("#action-result")).ToHaveAttributeAsync("data-outcome", "Succeeded", new() { Timeout = 60_000 });
            await DashboardFixture.ScreenshotAsync(page, "actions-replicate-done");
            await dialog.Locator("#close").ClickAsync();

            await DashboardFixture.GotoInteractiveAsync(page, "/keys");
            var cell = page.Locator($"tr.key-row[data-key-id='{keyId}'] td[data-region='eu-west-1']");
            await Assertions.Expect(cell).ToHaveAttributeAsync("data-role", "Replica", new() { Timeout = 60_000 });

            await DashboardFixture.GotoInteractiveAsync(page, $"/journal?key={keyId}");
            var entry = page.Locator("tr.journal-row[data-action='Replicate'][data-outcome='Succeeded']");
            await Assertions.Expect(entry).ToContainTextAsync("olivia");
            await DashboardFixture.ScreenshotAsync(page, "actions-journal");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task AViewerSeesNoActionAndAForgedCallIsRefused()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "victor", ["Viewer"]);
            var keyId = await KeyIdOfAsync(page, "orders-db");

            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}");
            await Assertions.Expect(page.Locator("#key-id")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#key-actions")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#user-badge")).ToContainTextAsync("victor");
            await Assertions.Expect(page.Locator("#local-signin-badge")).ToBeVisibleAsync();

            // A forged request with the Viewer's own cookie to an Auditor/Admin endpoint is refused by the server.
            var export = await page.Context.APIRequest.GetAsync("/journal/export.csv");
            Assert.Equal(403, export.Status);

            // A forged call straight into Core as the Viewer is refused and changes nothing.
            var operations = fixture.App.Services.GetRequiredService<KeyOperations>();
            var viewer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "victor"), new Claim(ClaimTypes.Role, "Viewer")], "Local", ClaimTypes.Name, ClaimTypes.Role));
            var plan = await operations.PlanAsync(viewer, new DisableKeyRequest { KeyId = keyId, Region = "eu-west-1" }, default);
            Assert.Equal(PlanStatus.Forbidden, plan.Status);
            var result = await operations.ExecuteAsync(viewer, plan, keyId, default);
            Assert.Equal(ActionOutcome.Refused, result.Outcome);
            var key = await fixture.App.Services.GetRequiredService<AwsClients>().Kms("eu-west-1")
                .DescribeKeyAsync(new Amazon.KeyManagementService.Model.DescribeKeyRequest { KeyId = keyId });
            Assert.Equal("Enabled", key.KeyMetadata.KeyState.Value);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [SkippableFact]
    public async Task AnAdminSchedulesADeletionWithTypedConfirmationAndTheKeyShowsPendingDeletionWithItsDate()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            var services = fixture.App.Services;
            var created = await services.GetRequiredService<AwsClients>().Kms("eu-west-1")
                .CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest { Description = "e2e deletion" });
            var keyId = created.KeyMetadata.KeyId;
            await services.GetRequiredService<KeyInventory>().RefreshKeysAsync([new KeyRef("eu-west-1", keyId)], default);

            await DashboardFixture.SignInAsync(page, "adele", ["Admin"]);
            await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}?region=eu-west-1");
            await page.Locator("#action-schedule-deletion").ClickAsync();
            var dialog = page.Locator(".mud-dialog").Last; // MudDialog renders in the provider; its own id is not on the container
            await dialog.Locator("#plan-button").ClickAsync(); // nothing is planned on open
            await Assertions.Expect(dialog.Locator("#plan-calls")).ToContainTextAsync("PendingWindowInDays=30", new() { Timeout = 60_000 });
            await Assertions.Expect(dialog.Locator("#confirm")).ToBeDisabledAsync();
            await dialog.Locator("#typed-confirmation").FillAsync("not-the-key");
            await Assertions.Expect(dialog.Locator("#confirm")).ToBeDisabledAsync();
            await dialog.Locator("#typed-confirmation").FillAsync(keyId);
            await Assertions.Expect(dialog.Locator("#confirm")).ToBeEnabledAsync();
            await DashboardFixture.ScreenshotAsync(page, "actions-schedule-deletion-confirm");
            await dialog.Locator("#confirm").ClickAsync();
            await Assertions.Expect(dialog.Locator("#action-result")).ToHaveAttributeAsync("data-outcome", "Succeeded", new() { Timeout = 60_000 });
            await dialog.Locator("#close").ClickAsync();

            var row = page.Locator("#key-regions tr[data-region='eu-west-1']");
            await Assertions.Expect(row).ToContainTextAsync(new Regex("Pending ?deletion", RegexOptions.IgnoreCase), new() { Timeout = 60_000 });
            await Assertions.Expect(row).ToContainTextAsync(new Regex(@"deletes \d{4}-\d{2}-\d{2}"));
            await DashboardFixture.ScreenshotAsync(page, "actions-pending-deletion");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
