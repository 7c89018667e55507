using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Wizards;

/// <summary>The wizards in the running app: an Operator turns on automatic rotation for a demo key set through the bulk wizard.</summary>
[Collection(DashboardCollection.Name)]
public sealed class WizardsTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task AnOperatorOpensWizardsAndTurnsOnAutomaticRotationForCustomerPii()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "olivia", ["Operator"], "/wizards");
            await Assertions.Expect(page.Locator(".wizard-card")).ToHaveCountAsync(6);
            await page.Locator(".wizard-card[data-wizard='automatic-rotation'] a").ClickAsync();
            await page.WaitForURLAsync("**/wizards/automatic-rotation");
            await DashboardFixture.WaitForInteractiveAsync(page);

            await page.Locator("#filter-rotation-off").CheckAsync();
            var pii = page.Locator(".candidate", new() { HasText = "customer-pii" });
            await Assertions.Expect(pii).ToHaveAttributeAsync("data-can-rotate", "true", new() { Timeout = 60_000 });
            var keyId = (await pii.GetAttributeAsync("data-key-id"))!;
            await page.Locator($"input[data-choose='{keyId}']").CheckAsync();
            await page.Locator("#plan-button").ClickAsync();
            var change = page.Locator($".plan-change[data-key-id='{keyId}']");
            await Assertions.Expect(change).ToHaveAttributeAsync("data-kind", "TurnOn", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#plan-changes")).ToContainTextAsync("USD");
            await page.Locator("#typed-confirmation").FillAsync(await page.Locator("#confirmation-text").InnerTextAsync());
            await page.Locator("#confirm").ClickAsync();

            await Assertions.Expect(page.Locator("#bulk-result")).ToHaveAttributeAsync("data-outcome", "Succeeded", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator($".key-set-outcome[data-key-id='{keyId}']")).ToHaveAttributeAsync("data-outcome", "Succeeded");
            await DashboardFixture.ScreenshotAsync(page, "wizards-automatic-rotation-done");

            // The demo account's customer-pii has its primary in us-west-2; the sandbox itself confirms the change.
            var status = await fixture.App.Services.GetRequiredService<AwsClients>().Kms("us-west-2")
                .GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId });
            Assert.True(status.KeyRotationEnabled);
            Assert.Equal(365, status.RotationPeriodInDays);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
