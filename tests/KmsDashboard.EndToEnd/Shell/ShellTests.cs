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
        // navigates inside the circuit (no page load) and moves the highlight. (The key map is statically routed: the
        // link to it loads the page, see TheKeyMapsShellWorksWithoutTheCircuit.)
        var overview = page.Locator("nav a.mud-nav-link[href='']");
        var findings = page.Locator("nav a.mud-nav-link[href='findings']");
        await Assertions.Expect(overview).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        await page.EvaluateAsync("() => window.__sameDocument = true");
        await findings.ClickAsync();
        await page.WaitForURLAsync("**/findings");
        await Assertions.Expect(findings).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(overview).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The nav link reloaded the page.");
        Assert.Empty(cspViolations);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task TheKeyMapsShellWorksWithoutTheCircuit()
    {
        // The key map is statically routed (its circuit holds only the map): its app bar, drawer and menus are plain HTML
        // that js/static-shell.js drives. Desktop: the drawer docks and undocks, the filter changes the address in place.
        var page = await fixture.NewPageAsync();
        await DashboardFixture.SignInAsync(page, "stella", ["Viewer"], "/");
        await page.Locator("nav a.mud-nav-link[href='keys']").ClickAsync();
        await page.WaitForURLAsync("**/keys");
        await Assertions.Expect(page.Locator("#key-map-view[data-circuit='interactive']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-routing", "static");
        await Assertions.Expect(page.Locator("nav a.mud-nav-link[href='keys']")).ToHaveAttributeAsync("aria-current", "page");
        var drawer = page.Locator("aside.mud-drawer");
        var main = page.Locator(".mud-main-content");
        var docked = (await main.BoundingBoxAsync())!.X;
        Assert.True(docked > 100, $"The content starts at {docked} px beside the open drawer.");
        await page.Locator("button[aria-label='Toggle navigation']").ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmud-drawer--closed\b"));
        await Assertions.Expect(main).ToHaveCSSAsync("margin-left", "0px");
        await page.Locator("button[aria-label='Toggle navigation']").ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmud-drawer--open\b"));

        await page.EvaluateAsync("() => window.__sameDocument = true");
        await page.Locator("#filter-search").FillAsync("no-such-key-anywhere");
        await page.WaitForURLAsync(url => url.Contains("q=no-such-key-anywhere", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#row-count")).ToContainTextAsync("Showing 0 of");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "Filtering reloaded the page.");

        // The user menu opens and closes in the browser; the theme button saves the choice and renders it.
        await page.Locator("#user-badge button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#sign-out")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
        var theme = await page.Locator("#app").GetAttributeAsync("data-theme");
        var other = theme == "dark" ? "light" : "dark";
        await page.Locator("#theme-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-theme", other);
        await DashboardFixture.WaitForInteractiveAsync(page);
        Assert.Contains("q=no-such-key-anywhere", page.Url, StringComparison.Ordinal); // the reload keeps the view
        await Assertions.Expect(page.Locator("#filter-search")).ToHaveValueAsync("no-such-key-anywhere");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "kmsdash-theme" && c.Value == other);
        await page.Context.CloseAsync();

        // A phone: the drawer is hidden, opens over the page, and a link in it goes to an interactive page.
        var phone = await PageFit.NewPageAsync(fixture, 390, 844, "light");
        await DashboardFixture.SignInAsync(phone, "stella", ["Viewer"], "/keys");
        await Assertions.Expect(phone.Locator("aside.mud-drawer")).ToBeHiddenAsync();
        await phone.Locator("button[aria-label='Toggle navigation']").ClickAsync();
        await Assertions.Expect(phone.Locator("aside.mud-drawer")).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("aside.mud-drawer")).ToHaveCSSAsync("left", "0px"); // slid in over the page
        await Assertions.Expect(phone.Locator(".static-drawer-overlay")).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(phone, "keys-drawer-390");
        await phone.Locator(".static-drawer-overlay").ClickAsync(new() { Position = new() { X = 370, Y = 400 } });
        // Closed: slid out to the left (off screen), the overlay gone.
        await Assertions.Expect(phone.Locator("aside.mud-drawer")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmud-drawer--closed\b"));
        await Assertions.Expect(phone.Locator("aside.mud-drawer")).Not.ToHaveCSSAsync("left", "0px");
        await Assertions.Expect(phone.Locator(".static-drawer-overlay")).ToHaveCountAsync(0);
        await phone.Locator("button[aria-label='Toggle navigation']").ClickAsync();
        await phone.Locator("aside.mud-drawer a.mud-nav-link[href='regions']").ClickAsync();
        await phone.WaitForURLAsync("**/regions");
        await Assertions.Expect(phone.Locator("#app[data-circuit='interactive']")).ToBeAttachedAsync(new() { Timeout = 90_000 });
        await Assertions.Expect(phone.Locator("#app")).Not.ToHaveAttributeAsync("data-routing", "static");
        await phone.Context.CloseAsync();

        // No theme chosen and a dark system: the statically routed map cannot ask the browser, so the browser reports the
        // system's theme in a cookie and the page is rendered again in it (once); the next pages are rendered dark at once.
        var system = await fixture.NewPageAsync();
        await system.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await DashboardFixture.GotoInteractiveAsync(system, "/keys");
        await Assertions.Expect(system.Locator("#app")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.Contains(await system.Context.CookiesAsync(), c => c.Name == "kmsdash-system-theme" && c.Value == "dark");
        Assert.DoesNotContain(await system.Context.CookiesAsync(), c => c.Name == "kmsdash-theme"); // reported, not chosen
        var html = await (await system.APIRequest.GetAsync("/findings")).TextAsync();
        Assert.Contains("data-theme=\"dark\"", html, StringComparison.Ordinal);
        await system.Context.CloseAsync();
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
