using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Shell;

[Collection(DashboardCollection.Name)]
public sealed class ShellTests(DashboardFixture fixture)
{
    [SkippableFact]
    public async Task TheShellSaysItIsOnTheEmbeddedSandbox()
    {
        var page = await fixture.NewPageAsync();
        var cspViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) cspViolations.Add(message.Text);
        };

        await DashboardFixture.GotoInteractiveAsync(page, "/");

        var banner = await page.Locator("#backend-banner").InnerTextAsync();
        Assert.Equal($"Sandbox (embedded, {fixture.Sandbox.Url.ToString().TrimEnd('/')})", banner.Trim());
        Assert.Equal("KmsDashboard", (await page.Locator(".app-title").InnerTextAsync()).Trim());
        await page.Locator("nav >> text=Regions").WaitForAsync();
        await DashboardFixture.ScreenshotAsync(page, "shell");

        // The drawer's links (plain anchors in MudBlazor's nav classes): the current page's is highlighted, and a click
        // navigates inside the circuit (no page load) and moves the highlight.
        var overview = page.Locator("nav a.mud-nav-link[href='']");
        var keyMap = page.Locator("nav a.mud-nav-link[href='keys']");
        await Assertions.Expect(overview).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        await page.EvaluateAsync("() => window.__sameDocument = true");
        await keyMap.ClickAsync();
        await page.WaitForURLAsync("**/keys");
        await Assertions.Expect(keyMap).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(overview).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The nav link reloaded the page.");
        Assert.Empty(cspViolations);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task TheThemeTogglesBetweenLightAndDark()
    {
        var page = await fixture.NewPageAsync();
        await DashboardFixture.GotoInteractiveAsync(page, "/");
        var before = await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background')");

        await page.Locator("#theme-toggle").ClickAsync();

        await Assertions.Expect(page.Locator("html")).Not.ToHaveCSSAsync("--mud-palette-background", before.Trim());
        var chosen = await page.Locator("#app").GetAttributeAsync("data-theme");
        // The cookie is written by the page's script right after the switch: wait for it before asking the server.
        for (var i = 0; i < 100 && !(await page.Context.CookiesAsync()).Any(c => c.Name == "kmsdash-theme" && c.Value == chosen); i++)
            await page.WaitForTimeoutAsync(100);

        // The choice survives a reload and a typed URL, and the server renders it before the circuit connects (no flash).
        var html = await (await page.APIRequest.GetAsync("/keys")).TextAsync();
        Assert.Contains($"data-theme=\"{chosen}\"", html, StringComparison.Ordinal);
        await DashboardFixture.GotoInteractiveAsync(page, "/keys");
        await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-theme", chosen!);
        await Assertions.Expect(page.Locator("html")).Not.ToHaveCSSAsync("--mud-palette-background", before.Trim());
        await DashboardFixture.GotoInteractiveAsync(page, "/");
        await page.Locator("#region-map").WaitForAsync();
        await DashboardFixture.ScreenshotAsync(page, $"overview-{chosen}");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task ASignedInUserSeesWhoTheyAreAndCanSignOut()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/signin");
        Assert.Equal(0, await page.Locator("#sign-in-link").CountAsync()); // no "Sign in" button pointing at this very page

        await DashboardFixture.SignInAsync(page, "sigrid", ["Operator", "Auditor"], "/keys");
        await Assertions.Expect(page.Locator("#user-badge")).ToContainTextAsync("sigrid");
        await Assertions.Expect(page.Locator("#user-badge")).ToContainTextAsync("Operator");
        await page.Locator("#user-badge button").First.ClickAsync();
        await page.Locator("#sign-out").WaitForAsync();
        await DashboardFixture.ScreenshotAsync(page, "user-menu");
        await page.Locator("#sign-out").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal) || !url.Contains("/keys", StringComparison.Ordinal));
        await DashboardFixture.GotoInteractiveAsync(page, "/keys");
        await Assertions.Expect(page.Locator("#sign-in-link")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#user-badge").CountAsync());
        await page.Context.CloseAsync();
    }
}
