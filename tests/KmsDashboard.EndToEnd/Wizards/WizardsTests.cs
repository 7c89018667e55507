using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Dependents;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Wizards;

/// <summary>
/// The wizards in the running app: an Operator turns on automatic rotation for a demo key set through the bulk wizard, and
/// sets up a new key set whose alias becomes a bucket's default encryption.
/// </summary>
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

    [SkippableFact]
    public async Task AnOperatorSetsUpANewKeySetThatABucketsDefaultEncryptionThenUses()
    {
        // A bucket of this test's own in eu-west-1, read into the shared bucket catalog the wizard offers from.
        var clients = fixture.App.Services.GetRequiredService<AwsClients>();
        await clients.S3("eu-west-1").PutBucketAsync(new Amazon.S3.Model.PutBucketRequest { BucketName = "e2e-new-key-set", BucketRegionName = "eu-west-1" });
        await fixture.App.Services.GetRequiredService<BucketCatalog>().GetAsync(refresh: true, CancellationToken.None);
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "olivia", ["Operator"], "/wizards/new-key-set");
            var bucket = page.Locator("tr[data-bucket='e2e-new-key-set']");
            // Primary us-east-1 alone: the eu-west-1 bucket is shown, not choosable, with the reason.
            await Assertions.Expect(bucket).ToHaveAttributeAsync("data-selectable", "false", new() { Timeout = 30_000 });
            await Assertions.Expect(bucket.Locator(".bucket-reason")).ToContainTextAsync("It is in eu-west-1");
            await page.Locator("[data-replica-region='eu-west-1'] input").CheckAsync();
            await Assertions.Expect(bucket).ToHaveAttributeAsync("data-selectable", "true");
            await bucket.Locator("input").CheckAsync();
            await page.Locator("#alias").FillAsync("alias/e2e-new-set");
            await page.Locator("#description").FillAsync("e2e new key set");
            await page.Locator("#tags").FillAsync("CostCenter=4711\nOwner=e2e");
            await page.Locator("#administrators").FillAsync("arn:aws:iam::111122223333:role/KeyAdmin");
            await page.Locator("#users").FillAsync("arn:aws:iam::111122223333:role/App");
            await page.Locator("#users").PressAsync("Tab");
            await page.Locator("#review").ClickAsync();
            await Assertions.Expect(page.Locator("#new-key-set-review")).ToContainTextAsync("s3://e2e-new-key-set is pointed at the alias");
            await ShootAsync(page, "wizards-new-key-set");

            await page.Locator("#start-runbook").ClickAsync();
            await page.WaitForURLAsync("**/runbooks/*");
            foreach (var step in new[] { "create-primary", "replicate", "aliases", "rotation", "bucket-encryption" })
            {
                await Assertions.Expect(page.Locator("#current-step")).ToHaveAttributeAsync("data-step", step, new() { Timeout = 60_000 });
                await page.Locator("#plan-step").ClickAsync();
                await Assertions.Expect(page.Locator("#runbook-plan")).ToBeVisibleAsync(new() { Timeout = 60_000 });
                if (step == "bucket-encryption")
                {
                    await Assertions.Expect(page.Locator("#plan-calls")).ToContainTextAsync("arn:aws:kms:eu-west-1:111122223333:alias/e2e-new-set");
                    await ShootAsync(page, "runbook-bucket-encryption-plan");
                }
                await page.Locator("#run-step").ClickAsync();
                try
                {
                    await Assertions.Expect(page.Locator($".runbook-step[data-step='{step}']")).ToHaveAttributeAsync("data-state", "Done", new() { Timeout = 90_000 });
                }
                catch (PlaywrightException e)
                {
                    // Say what the page said (a refusal is shown there, and not every one is journaled).
                    var said = await page.Locator("#runbook-message").AllInnerTextsAsync();
                    await ShootAsync(page, $"runbook-step-{step}-not-done");
                    throw new Xunit.Sdk.XunitException($"Step {step} did not finish. The page says: {(said.Count == 0 ? "nothing" : string.Join(" | ", said))}. " +
                        $"Plan shown: {await page.Locator("#runbook-plan").CountAsync()}, run button: {await page.Locator("#run-step").CountAsync()}. {e.Message}");
                }
            }
            await Assertions.Expect(page.Locator("#runbook-closed")).ToBeVisibleAsync();

            var encryption = await clients.S3("eu-west-1").GetBucketEncryptionAsync(new Amazon.S3.Model.GetBucketEncryptionRequest { BucketName = "e2e-new-key-set" });
            Assert.Equal("arn:aws:kms:eu-west-1:111122223333:alias/e2e-new-set",
                encryption.ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionKeyManagementServiceKeyId);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Full-page screenshots at 1440 and 390 px, light and dark.</summary>
    private static async Task ShootAsync(IPage page, string name)
    {
        foreach (var theme in new[] { "light", "dark" })
        {
            if (await page.Locator("#app").GetAttributeAsync("data-theme") != theme)
            {
                await page.Locator("#theme-toggle").ClickAsync();
                await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-theme", theme);
            }
            foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.WaitForTimeoutAsync(400);
                await DashboardFixture.ScreenshotAsync(page, $"{name}-{width}-{theme}");
            }
        }
        await page.SetViewportSizeAsync(1440, 900);
    }
}
