using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Approvals;

/// <summary>
/// The two-person rule in the browser (Safety:RequireApproval=true on the local sign-in): Ann requests "Disable" from the
/// key's action dialog, Bob approves and runs it on Pending approvals, Ann's dialog shows the outcome and the journal names both.
/// </summary>
public sealed class TwoPersonRuleTests : IAsyncLifetime
{
    private readonly DashboardFixture _fixture = new(new DashboardAppFactory(new Dictionary<string, string?>
    {
        ["Safety:RequireApproval"] = "true",
        ["Inventory:ReadLastUse"] = "false",
    }));

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [SkippableFact]
    public async Task OneAdminRequestsTheDisableAndAnotherApprovesAndRunsIt()
    {
        var services = _fixture.App.Services;
        var kms = services.GetRequiredService<AwsClients>().Kms("eu-west-1");
        var keyId = (await kms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest { Description = "e2e two-person rule" })).KeyMetadata.KeyId;
        await services.GetRequiredService<KeyInventory>().RefreshKeysAsync([new KeyRef("eu-west-1", keyId)], default);

        var ann = await _fixture.NewPageAsync();
        var bob = await _fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(ann, "ann", ["Admin"]);
            await DashboardFixture.GotoInteractiveAsync(ann, $"/keys/{keyId}?region=eu-west-1");
            await ann.Locator("#action-disable").ClickAsync();
            var dialog = ann.Locator(".mud-dialog").Last;
            await Assertions.Expect(dialog.Locator("#approval-needed")).ToBeVisibleAsync();
            await dialog.Locator("#plan-button").ClickAsync();
            await Assertions.Expect(dialog.Locator("#plan-calls")).ToContainTextAsync("DisableKey", new() { Timeout = 60_000 });
            await Assertions.Expect(dialog.Locator("#confirm")).ToContainTextAsync("Request approval");
            await dialog.Locator("#typed-confirmation").FillAsync(keyId);
            await Assertions.Expect(dialog.Locator("#confirm")).ToBeEnabledAsync();
            await dialog.Locator("#confirm").ClickAsync();
            await Assertions.Expect(dialog.Locator("#approval-request")).ToHaveAttributeAsync("data-status", "Pending", new() { Timeout = 30_000 });
            await DashboardFixture.ScreenshotAsync(ann, "approvals-dialog-requested");
            Assert.Equal("Enabled", (await kms.DescribeKeyAsync(keyId)).KeyMetadata.KeyState.Value);

            // Ann, on the approvals page in another tab: her own request offers Withdraw, never Approve.
            var annList = await ann.Context.NewPageAsync();
            await DashboardFixture.GotoInteractiveAsync(annList, "/approvals");
            var annCard = annList.Locator(".approval-card").Filter(new() { HasText = keyId });
            await Assertions.Expect(annCard.Locator(".approval-mine")).ToBeVisibleAsync();
            await Assertions.Expect(annCard.Locator(".approval-approve")).ToHaveCountAsync(0);
            await annList.CloseAsync();

            await DashboardFixture.SignInAsync(bob, "bob", ["Admin"], "/approvals");
            await Assertions.Expect(bob.Locator("#approvals-badge")).ToHaveAttributeAsync("data-count", "1");
            var card = bob.Locator(".approval-card").Filter(new() { HasText = keyId });
            await Assertions.Expect(card).ToContainTextAsync("ann");
            await Assertions.Expect(card.Locator(".approval-calls")).ToContainTextAsync("DisableKey");
            var approve = card.Locator(".approval-approve");
            await Assertions.Expect(approve).ToBeDisabledAsync();
            await card.Locator("input[id^='approve-typed-']").FillAsync(keyId);
            await Assertions.Expect(approve).ToBeEnabledAsync();
            await ScreenshotsAsync(bob);
            await approve.ClickAsync();

            await Assertions.Expect(bob.Locator("#approval-result")).ToHaveAttributeAsync("data-done", "true", new() { Timeout = 60_000 });
            await Assertions.Expect(bob.Locator(".approval-recent[data-status='Executed']")).ToContainTextAsync(keyId);
            Assert.Equal("Disabled", (await kms.DescribeKeyAsync(keyId)).KeyMetadata.KeyState.Value);
            // Ann's dialog follows the request to its end.
            await Assertions.Expect(dialog.Locator("#approval-request")).ToHaveAttributeAsync("data-status", "Executed", new() { Timeout = 30_000 });
            await Assertions.Expect(dialog.Locator("#approval-request")).ToContainTextAsync("Approved by bob");
            await DashboardFixture.ScreenshotAsync(ann, "approvals-dialog-executed");

            await DashboardFixture.GotoInteractiveAsync(bob, $"/journal?key={keyId}");
            await Assertions.Expect(bob.Locator(".journal-row[data-action='Approval.request']")).ToContainTextAsync("ann");
            await Assertions.Expect(bob.Locator(".journal-row[data-action='Approval.approve'][data-outcome='Succeeded']")).ToContainTextAsync("bob");
            await Assertions.Expect(bob.Locator(".journal-row[data-action='DisableKey'][data-outcome='Succeeded']"))
                .ToContainTextAsync("Requested by ann (local|ann), approved by bob (local|bob)");
        }
        finally
        {
            await ann.Context.CloseAsync();
            await bob.Context.CloseAsync();
        }
    }

    /// <summary>The approvals page with a pending request, as an approver sees it: 1440 and 390 px wide, light and dark.</summary>
    private static async Task ScreenshotsAsync(IPage page)
    {
        foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var theme in new[] { "light", "dark" })
            {
                if (await page.Locator("#app").GetAttributeAsync("data-theme") != theme)
                {
                    await page.Locator("#theme-toggle").ClickAsync();
                    await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-theme", theme);
                }
                await page.Mouse.MoveAsync(width / 2, height - 5);   // no tooltip left over from the theme switch
                await DashboardFixture.ScreenshotAsync(page, $"approvals-{width}-{theme}");
            }
        }
        await page.SetViewportSizeAsync(1440, 900);
    }
}
