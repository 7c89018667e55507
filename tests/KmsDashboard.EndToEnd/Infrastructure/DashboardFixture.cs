using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Infrastructure;

/// <summary>
/// One running dashboard (Sandbox mode) and one headless Chromium shared by the tests of the "Dashboard" collection.
/// Tests that inject sandbox faults clear them again (<see cref="ResetSandboxFaults"/>).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private DashboardAppFactory? _factory;
    private readonly DashboardAppFactory? _given;

    /// <summary>The dashboard in Sandbox mode (the "Dashboard" collection).</summary>
    public DashboardFixture() { }

    /// <summary>The dashboard as <paramref name="app"/> configures it (another backend, e.g. moto); the fixture disposes it.</summary>
    internal DashboardFixture(DashboardAppFactory app) => _given = app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseUrl { get; private set; } = default!;

    public DashboardAppFactory App => _factory ?? throw new InvalidOperationException("The app did not start.");

    /// <summary>The sandbox embedded in the running app.</summary>
    public SandboxServer Sandbox => App.Services.GetRequiredService<SandboxServer>();

    /// <summary>Where screenshots go: TestResults/screenshots under the test output.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    private string? _chromium;

    public async Task InitializeAsync()
    {
        _factory = _given ?? new DashboardAppFactory();
        BaseUrl = _factory.Start();
        _chromium = RequiredTool.Find("chromium", ChromiumPath);
        if (_chromium is null) return;
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = _chromium,
            Headless = true,
            Timeout = 120_000,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new browser page (own context) at 1400×900; skips, or fails in CI, when Chromium is missing.</summary>
    public async Task<IPage> NewPageAsync()
    {
        RequiredTool.Require(_chromium, "chromium", "apt-get install -y chromium");
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens <paramref name="path"/> and waits until the Blazor circuit has rendered interactively.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitForInteractiveAsync(page);
    }

    /// <summary>
    /// Waits until the page's interactive part re-rendered over the circuit (<c>[data-circuit=interactive]</c>: MainLayout's
    /// <c>#app</c>, or on the statically routed key map its <c>#key-map-view</c>): before that, clicks land on prerendered
    /// HTML and do nothing.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-circuit='interactive']").First.WaitForAsync(new() { Timeout = 90_000 });

    /// <summary>
    /// Signs in on the local sign-in page as <paramref name="name"/> with exactly <paramref name="roles"/>, lands on
    /// <paramref name="returnUrl"/> and waits for the circuit.
    /// </summary>
    public static async Task SignInAsync(IPage page, string name, IReadOnlyCollection<string> roles, string returnUrl = "/")
    {
        await page.GotoAsync($"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.Locator("#userName").FillAsync(name);
        foreach (var role in new[] { "viewer", "auditor", "operator", "admin" })
            await page.Locator($"#role-{role}").SetCheckedAsync(roles.Contains(role, StringComparer.OrdinalIgnoreCase));
        await page.Locator("#local-signin").ClickAsync();
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Saves a full-page PNG under <see cref="ScreenshotDirectory"/> and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public void ResetSandboxFaults() => Sandbox.Services.GetRequiredService<SandboxFaults>().Reset();

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
    }
}
