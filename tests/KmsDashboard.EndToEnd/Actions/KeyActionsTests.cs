using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Aws;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Actions;

/// <summary>Key actions in the running app on the sandbox: the right role does them, the wrong one is refused, the journal shows them.</summary>
[Collection(DashboardCollection.Name)]
public sealed class KeyActionsTests(DashboardFixture fixture)
{
    /// <summary>Signs in through the local sign-in page with exactly <paramref name="roles"/>.</summary>
    private static async Task SignInAsync(IPage page, string name, params string[] roles)
    {
        await page.GotoAsync("/signin");
        await page.Locator("#userName").FillAsync(name);
        foreach (var role in new[] { "viewer", "auditor", "operator", "admin" })
            await page.Locator($"#role-{role}").SetCheckedAsync(roles.Contains(role, StringComparer.OrdinalIgnoreCase));
        await page.Locator("#local-signin").ClickAsync();
        await DashboardFixture.WaitForInteractiveAsync(page);
    }

    private async Task<string> KeyIdOfAsync(IPage page, string alias)
    {
        await DashboardFixture.GotoInteractiveAsync(page, "/keys");
        var row = page.Locator("tr.key-row", new() { HasText = alias }).First;
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 90_000 });
        return (await row.GetAttributeAsync("data-key-id"))!;
    }

    [SkippableFact]
    public async Task AViewerSeesNoActionAndAForgedCallIsRefused()
    {
        var page = await fixture.NewPageAsync();
        try
        {
            await SignInAsync(page, "victor", "Viewer");
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
}
