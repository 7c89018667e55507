using KmsDashboard.Core.Findings;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Findings;

/// <summary>
/// The findings page in the running app on the sandbox's demo account: a critical "pending deletion still used", its
/// evidence, the deletion cancelled through the guarded dialog, and the finding fixed after the next evaluation.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FindingsEndToEndTests(DashboardFixture fixture)
{
    private static readonly string PendingInUse = FindingChecks.PendingDeletionInUse.Id;

    [SkippableFact]
    public async Task AnOperatorCancelsTheDeletionOfAKeyStillInUseFromItsFindingAndSeesItFixed()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "olivia", ["Operator"], "/findings?severity=critical");
            var row = page.Locator($"tr.finding-row[data-check='{PendingInUse}'][data-region='us-west-2']");
            // The first evaluation runs after the app's first inventory refresh.
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 120_000 });
            await Assertions.Expect(row).ToHaveAttributeAsync("data-severity", "Critical");
            var findingId = await row.GetAttributeAsync("data-finding-id");
            await DashboardFixture.ScreenshotAsync(page, "findings-critical");

            await row.ClickAsync();
            await Assertions.Expect(page.Locator("#finding-evidence")).ToContainTextAsync("old-quarterly-reports");
            await DashboardFixture.ScreenshotAsync(page, "findings-evidence");

            await page.Locator("#fix-action").ClickAsync();
            var dialog = page.Locator(".mud-dialog").Last;
            await dialog.Locator("#plan-button").ClickAsync();
            await Assertions.Expect(dialog.Locator("#plan-calls")).ToContainTextAsync("CancelKeyDeletion", new() { Timeout = 60_000 });
            await dialog.Locator("#confirm").ClickAsync();
            await Assertions.Expect(dialog.Locator("#action-result")).ToHaveAttributeAsync("data-outcome", "Succeeded", new() { Timeout = 60_000 });
            await dialog.Locator("#close").ClickAsync();

            await page.Locator("#evaluate").ClickAsync();
            await DashboardFixture.GotoInteractiveAsync(page, "/findings?status=all&check=10");
            var same = page.Locator($"tr.finding-row[data-finding-id='{findingId}']");
            await Assertions.Expect(same).ToHaveAttributeAsync("data-status", "fixed", new() { Timeout = 60_000 });
            await Assertions.Expect(same.Locator(".badge-fixed")).ToBeVisibleAsync();
            await DashboardFixture.ScreenshotAsync(page, "findings-fixed");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [SkippableTheory]
    [MemberData(nameof(PageFit.DesktopAndPhone), MemberType = typeof(PageFit))]
    public Task TheFindingsPageFitsItsWidth(int width, int height, string theme) =>
        PageFit.CheckAsync(fixture, width, height, theme, "findings", async page =>
        {
            await DashboardFixture.SignInAsync(page, "layla", ["Admin", "Auditor"], "/findings?group=key");
            await Assertions.Expect(page.Locator("tr.finding-row").First).ToBeVisibleAsync(new() { Timeout = 120_000 });
            await page.Locator("tr.finding-row").First.ClickAsync();
        });
}
