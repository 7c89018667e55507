using KmsDashboard.EndToEnd.Infrastructure;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// An open page (a Blazor circuit keeps the user it started with) re-checks its user: after a sign-out in another tab,
/// or a new sign-in of the same user with other roles, the page shows the user signed out and the server refuses what
/// it then asks for. Authentication:RevalidationInterval is 1 s here (30 s by default).
/// </summary>
public sealed class CircuitRevalidationTests(CircuitRevalidationTests.App app) : IClassFixture<CircuitRevalidationTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        private readonly DashboardAppFactory _factory = new(new Dictionary<string, string?> { ["Authentication:RevalidationInterval"] = "00:00:01" });
        private IPlaywright? _playwright;
        private IBrowser? _browser;
        private string? _chromium;

        public Uri BaseUrl { get; private set; } = default!;

        public SandboxFaults Faults => _factory.Services.GetRequiredService<SandboxServer>().Services.GetRequiredService<SandboxFaults>();

        public async Task InitializeAsync()
        {
            BaseUrl = _factory.Start();
            _chromium = RequiredTool.Find("chromium", DashboardFixture.ChromiumPath);
            if (_chromium is null) return;
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
            });
        }

        public async Task<IBrowserContext> NewContextAsync()
        {
            RequiredTool.Require(_chromium, "chromium", "apt-get install -y chromium");
            var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = BaseUrl.ToString(),
                ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            });
            context.SetDefaultTimeout(60_000);
            return context;
        }

        public async Task DisposeAsync()
        {
            if (_browser is not null) await _browser.DisposeAsync();
            _playwright?.Dispose();
            await _factory.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task SigningOutInAnotherTabTakesTheOpenPagesPowers()
    {
        var context = await app.NewContextAsync();
        var open = await context.NewPageAsync();
        await DashboardFixture.SignInAsync(open, "ann", ["Admin"], "/regions");
        await Assertions.Expect(open.Locator("#outage-us-west-2")).ToBeEnabledAsync();

        var other = await context.NewPageAsync();
        await DashboardFixture.GotoInteractiveAsync(other, "/keys");
        await other.Locator("#user-badge button").First.ClickAsync();
        await other.Locator("#sign-out").ClickAsync();
        // The sign-out answered with the sign-in page: what this test needs of that tab (its page's load event is not).
        await other.WaitForURLAsync(url => url.Contains("/signin", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });

        // Within a revalidation interval the open page's user is gone...
        await Assertions.Expect(open.Locator("#sign-in-link")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.Equal(0, await open.Locator("#user-badge").CountAsync());
        // ...and what it still shows is refused on the server.
        await open.Locator("#outage-us-west-2").ClickAsync(new() { Force = true });
        await Assertions.Expect(open.Locator(".mud-snackbar")).ToContainTextAsync("may not change the sandbox", new() { Timeout = 30_000 }); // a loaded CI machine at the suite's start
        Assert.False(app.Faults.For("us-west-2").Outage);
        await context.CloseAsync();
    }

    [SkippableFact]
    public async Task SigningInAgainWithFewerRolesTakesTheOldPagesAdminRole()
    {
        var first = await app.NewContextAsync();
        var open = await first.NewPageAsync();
        await DashboardFixture.SignInAsync(open, "bert", ["Admin"], "/regions");
        await Assertions.Expect(open.Locator("#user-badge")).ToContainTextAsync("Admin");

        // The same user, elsewhere, now only a Viewer (as after their roles were cut).
        var second = await app.NewContextAsync();
        var elsewhere = await second.NewPageAsync();
        await DashboardFixture.SignInAsync(elsewhere, "bert", ["Viewer"], "/keys");

        await Assertions.Expect(open.Locator("#sign-in-link")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await open.Locator("#outage-eu-west-1").ClickAsync(new() { Force = true });
        await Assertions.Expect(open.Locator(".mud-snackbar")).ToContainTextAsync("may not change the sandbox", new() { Timeout = 30_000 }); // a loaded CI machine at the suite's start
        Assert.False(app.Faults.For("eu-west-1").Outage);
        await first.CloseAsync();
        await second.CloseAsync();
    }
}
