using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// Signing in through a real OpenID Connect provider (oidc-provider on loopback): Chromium goes through its login and
/// consent pages, the dashboard maps the users' groups to roles (Authentication:Oidc:RoleClaim=groups and RoleMapping),
/// and signing out ends the provider's session (end_session), so the next sign-in asks for the password again.
/// </summary>
public sealed class OidcSignInTests(OidcSignInTests.App app) : IClassFixture<OidcSignInTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        private DashboardAppFactory? _factory;
        private OidcProviderProcess? _provider;
        private IPlaywright? _playwright;
        private IBrowser? _browser;
        private string? _node;
        private string? _chromium;

        public Uri BaseUrl { get; private set; } = default!;

        public Uri ProviderUrl => _provider!.Url;

        public async Task InitializeAsync()
        {
            _node = RequiredTool.Find("node", "/usr/bin/node");
            _chromium = RequiredTool.Find("chromium", DashboardFixture.ChromiumPath);
            if (_node is null || _chromium is null || !Directory.Exists(Path.Combine(OidcProviderProcess.ToolsDirectory, "node_modules", "oidc-provider")))
                return;   // each test skips (or fails in CI) saying what is missing
            var providerPort = OidcProviderProcess.FreePort();
            _factory = new DashboardAppFactory(new Dictionary<string, string?>
            {
                ["Authentication:Local:Enabled"] = "false",
                ["Authentication:AnonymousRead"] = "false",
                ["Authentication:Oidc:Authority"] = $"http://127.0.0.1:{providerPort}",
                ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
                ["Authentication:Oidc:ClientId"] = OidcProviderProcess.ClientId,
                ["Authentication:Oidc:ClientSecret"] = OidcProviderProcess.ClientSecret,
                ["Authentication:Oidc:RoleClaim"] = "groups",
                ["Authentication:Oidc:RoleMapping:kms-admins"] = "Admin",
                ["Authentication:Oidc:RoleMapping:kms-operators"] = "Operator",
                ["Authentication:Oidc:RoleMapping:staff"] = "Viewer",
                ["Authentication:Oidc:Scopes:0"] = "openid",
                ["Authentication:Oidc:Scopes:1"] = "profile",
                ["Authentication:Oidc:Scopes:2"] = "email",
                ["Authentication:Oidc:Scopes:3"] = "groups",
            });
            BaseUrl = _factory.Start();
            _provider = await OidcProviderProcess.StartAsync(_node, providerPort, BaseUrl);
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
            });
        }

        public async Task<IPage> NewPageAsync()
        {
            OidcProviderProcess.RequireNode();
            RequiredTool.Require(_chromium, "chromium", "apt-get install -y chromium");
            var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl.ToString() });
            context.SetDefaultTimeout(60_000);
            return await context.NewPageAsync();
        }

        public async Task DisposeAsync()
        {
            if (_browser is not null) await _browser.DisposeAsync();
            _playwright?.Dispose();
            if (_provider is not null) await _provider.DisposeAsync();
            if (_factory is not null) await _factory.DisposeAsync();
        }
    }

    /// <summary>On the provider's login page: any password; then its consent page.</summary>
    private async Task SignInAtTheProviderAsync(IPage page, string login)
    {
        await page.WaitForURLAsync(url => url.StartsWith(app.ProviderUrl.ToString(), StringComparison.Ordinal));
        await page.Locator("input[name=login]").FillAsync(login);
        await page.Locator("input[name=password]").FillAsync("any-password");
        await page.Locator("button[type=submit]").ClickAsync();
        var consent = page.Locator("input[name=prompt][value=consent] ~ button[type=submit]");
        await consent.Or(page.Locator("#app")).First.WaitForAsync();
        if (await consent.IsVisibleAsync()) await consent.ClickAsync();
        await DashboardFixture.WaitForInteractiveAsync(page);
    }

    [SkippableFact]
    public async Task AnAdminSignsInThroughTheProviderAndSignOutEndsItsSession()
    {
        var page = await app.NewPageAsync();

        await page.GotoAsync("/keys");
        await SignInAtTheProviderAsync(page, "alice");

        Assert.StartsWith(new Uri(app.BaseUrl, "/keys").ToString(), page.Url);
        var badge = await page.Locator("#user-badge").TextContentAsync() ?? "";   // as written (the style upper-cases it)
        Assert.Contains("Alice Admin", badge);
        Assert.Contains("Viewer, Admin", badge);   // staff → Viewer, kms-admins → Admin

        await page.Locator("#user-badge button").First.ClickAsync();
        await page.Locator("#sign-out").ClickAsync();
        // The provider's end_session page asks to confirm, then returns to the dashboard's sign-in page.
        await page.Locator("button[name=logout][value=yes]").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(new Uri(app.BaseUrl, "/signin").ToString(), StringComparison.Ordinal));

        // The provider's session is over: signing in again shows its login page, not an immediate return.
        await page.GotoAsync("/signin/oidc?returnUrl=%2Fkeys");
        await page.Locator("input[name=login]").WaitForAsync();
        Assert.StartsWith(app.ProviderUrl.ToString(), page.Url);
    }

    [SkippableFact]
    public async Task AnOperatorsGroupsGiveOperatorAndViewerOnly()
    {
        var page = await app.NewPageAsync();

        await page.GotoAsync("/regions");
        await SignInAtTheProviderAsync(page, "oscar");

        var badge = await page.Locator("#user-badge").TextContentAsync() ?? "";
        Assert.Contains("Oscar Operator", badge);
        Assert.Contains("Viewer, Operator", badge);
        Assert.DoesNotContain("Admin", badge);
    }
}
