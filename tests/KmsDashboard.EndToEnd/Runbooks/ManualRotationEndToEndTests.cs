using System.Text.Json;
using Amazon.KeyManagementService.Model;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Runbooks;

/// <summary>An Operator runs the manual rotation of a key set through step 7, an Admin overrides the drain check and finishes it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ManualRotationEndToEndTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task AnOperatorRotatesThroughTheWatchStepAndAnAdminFinishesItWithEveryCallInTheExport()
    {
        var kms = fixture.App.Services.GetRequiredService<AwsClients>();
        var keyId = (await kms.Kms("us-east-1").CreateKeyAsync(new CreateKeyRequest { MultiRegion = true, Description = "e2e rotation" })).KeyMetadata.KeyId;
        await kms.Kms("us-east-1").ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "eu-west-1" });
        await WaitEnabledAsync(kms, "eu-west-1", keyId);
        foreach (var region in new[] { "us-east-1", "eu-west-1" })
            await kms.Kms(region).CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/e2e-rotation", TargetKeyId = keyId });
        await fixture.App.Services.GetRequiredService<KeyInventory>().RefreshAsync(CancellationToken.None);

        var otto = await fixture.NewPageAsync();
        var ada = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(otto, "otto", ["Operator"], $"/wizards/manual-rotation?key={keyId}");
            await Assertions.Expect(otto.Locator("[data-alias='eu-west-1:alias/e2e-rotation'] input")).ToBeCheckedAsync();
            await ShootAsync(otto, "runbook-start");
            await otto.Locator("#drain-hours").FillAsync("1");
            await otto.Locator("#drain-hours").PressAsync("Tab");
            await otto.Locator("#start-runbook").ClickAsync();
            await otto.WaitForURLAsync("**/runbooks/*");
            var runbookUrl = new Uri(otto.Url).AbsolutePath;

            foreach (var (step, next) in new[] { ("choose", "create"), ("create", "replicate"), ("replicate", "move-aliases"),
                         ("move-aliases", "verify"), ("verify", "reencrypt-s3"), ("reencrypt-s3", "watch") })
            {
                await RunStepAsync(otto, step, next);
                if (step == "move-aliases") await ShootAsync(otto, "runbook-after-move");
            }
            // An application that named the key id still uses the old key: the watch step refuses to go on.
            await kms.Kms("eu-west-1").EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream([1, 2, 3]) });
            await otto.Locator("#plan-step").ClickAsync();
            await Assertions.Expect(otto.Locator("#plan-problems")).ToContainTextAsync("An Admin may go on");
            await Assertions.Expect(otto.Locator("#run-step")).ToHaveCountAsync(0);
            await ShootAsync(otto, "runbook-watch-blocked");
            await otto.Locator("#runbook-release").ClickAsync();

            await DashboardFixture.SignInAsync(ada, "ada", ["Admin"], runbookUrl);
            await ada.Locator("#plan-step").ClickAsync();
            await ada.Locator("#override-reason").FillAsync("the remaining caller is a test script");
            await ada.Locator("#override-reason").PressAsync("Tab");
            await ada.Locator("#plan-step").ClickAsync();
            await Assertions.Expect(ada.Locator(".plan-warning").Last).ToContainTextAsync("Admin override by ada");
            await ada.Locator("#run-step").ClickAsync();
            await Assertions.Expect(ada.Locator("#current-step")).ToHaveAttributeAsync("data-step", "disable");

            await ada.Locator("#waiting-days").FillAsync("0");
            await ada.Locator("#waiting-days").PressAsync("Tab");
            await ada.Locator("#plan-step").ClickAsync();
            await Assertions.Expect(ada.Locator("#run-step")).ToBeDisabledAsync();
            await ada.Locator("#typed-confirmation").FillAsync(keyId);
            await ShootAsync(ada, "runbook-disable-confirm");
            await ada.Locator("#run-step").ClickAsync();
            await Assertions.Expect(ada.Locator("#current-step")).ToHaveAttributeAsync("data-step", "schedule-deletion", new() { Timeout = 60_000 });

            await ada.Locator("#window-days").FillAsync("7");
            await ada.Locator("#window-days").PressAsync("Tab");
            await ada.Locator("#plan-step").ClickAsync();
            await ada.Locator("#typed-confirmation").FillAsync(keyId);
            await ada.Locator("#run-step").ClickAsync();
            await Assertions.Expect(ada.Locator("#runbook-closed")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await ShootAsync(ada, "runbook-finished");

            var export = await ada.APIRequest.GetAsync(runbookUrl + "/export.json");
            Assert.True(export.Ok, $"export: {export.Status}");
            using var json = JsonDocument.Parse(await export.TextAsync());
            var calls = json.RootElement.GetProperty("steps").EnumerateArray().SelectMany(s => s.GetProperty("calls").EnumerateArray()).ToList();
            foreach (var operation in new[] { "CreateKey", "ReplicateKey", "UpdateAlias", "DisableKey", "ScheduleKeyDeletion" })
                Assert.Contains(calls, c => c.GetProperty("operation").GetString() == operation && c.GetProperty("requestId").GetString() is { Length: > 0 });
            // Every call the runbook made is in the export with its request id, and in the journal (its CSV export and the page).
            var requestIds = calls.Select(c => (Operation: c.GetProperty("operation").GetString(), Id: c.GetProperty("requestId").GetString())).ToList();
            Assert.All(requestIds, c => Assert.False(string.IsNullOrEmpty(c.Id), $"{c.Operation} has no request id in the runbook export"));
            var journalCsv = await ada.APIRequest.GetAsync($"/journal/export.csv?key={keyId}");
            Assert.True(journalCsv.Ok, $"journal export: {journalCsv.Status}");
            var journalText = await journalCsv.TextAsync();
            Assert.All(requestIds, c => Assert.Contains(c.Id!, journalText, StringComparison.Ordinal));
            var createKeyRequestId = requestIds.First(c => c.Operation == "CreateKey").Id!;

            // The journal has each step twice: "Started" before its first AWS call, then its outcome with the request ids.
            await DashboardFixture.GotoInteractiveAsync(ada, $"/journal?key={keyId}");
            await Assertions.Expect(ada.Locator("tr.journal-row[data-action='Runbook.ManualRotation.create'][data-outcome='Started']")).ToHaveCountAsync(1);
            await Assertions.Expect(ada.Locator("tr.journal-row[data-action='Runbook.ManualRotation.create'][data-outcome='Succeeded']")).ToHaveCountAsync(1);
            await ada.Locator("tr.journal-row[data-action='Runbook.ManualRotation.create'][data-outcome='Succeeded'] button[aria-label='Details']").ClickAsync();
            await Assertions.Expect(ada.Locator("tr.journal-details").First).ToContainTextAsync(createKeyRequestId);
            await Assertions.Expect(ada.Locator("tr.journal-row[data-action='Runbook.ManualRotation.watch'][data-outcome='Succeeded']")).ToContainTextAsync("test script");

            await DashboardFixture.GotoInteractiveAsync(ada, "/runbooks");
            await ada.Locator("#show-closed").ClickAsync();
            await Assertions.Expect(ada.Locator("#runbook-table")).ToContainTextAsync("alias/e2e-rotation");
            await ShootAsync(ada, "runbook-list");
        }
        finally
        {
            await otto.Context.CloseAsync();
            await ada.Context.CloseAsync();
        }
    }

    private static async Task RunStepAsync(IPage page, string step, string next)
    {
        await Assertions.Expect(page.Locator("#current-step")).ToHaveAttributeAsync("data-step", step, new() { Timeout = 60_000 });
        // A click that lands while the circuit re-renders the finished step can be lost on a loaded machine: ask again.
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("#plan-step").ClickAsync();
            try
            {
                await Assertions.Expect(page.Locator("#runbook-plan")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
        await page.Locator("#run-step").ClickAsync();
        await Assertions.Expect(page.Locator("#current-step")).ToHaveAttributeAsync("data-step", next, new() { Timeout = 90_000 });
    }

    /// <summary>Full-page screenshots at a desktop width (1440) and a phone width (390).</summary>
    private static async Task ShootAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(1440, 900);
        await DashboardFixture.ScreenshotAsync(page, name + "-1440");
        await page.SetViewportSizeAsync(390, 844);
        await page.WaitForTimeoutAsync(500); // the layout's breakpoint listener closes the drawer after the resize
        await DashboardFixture.ScreenshotAsync(page, name + "-390");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, name + "-390-top.png") });
        await page.SetViewportSizeAsync(1440, 900);
    }

    private static async Task WaitEnabledAsync(AwsClients kms, string region, string keyId)
    {
        for (var i = 0; i < 60; i++)
        {
            var state = (await kms.Kms(region).DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState.Value;
            if (state == "Enabled") return;
            await Task.Delay(500);
        }
        throw new TimeoutException($"{keyId} stayed Creating in {region}.");
    }
}
