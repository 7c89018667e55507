using System.Diagnostics;
using System.Globalization;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Inventory;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using KmsDashboard.Web.Features.Inventory;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.Bench.Inventory;

/// <summary>
/// The key map as a user gets it: the real dashboard on its embedded sandbox holding about N keys, opened in headless
/// Chromium. Times the first rows on screen, the page turning interactive, a search narrowing 5,000 rows to one, and a
/// jump to the last row (Virtualize rendering the end of the list).
/// </summary>
internal static class KeyMapBrowserTiming
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task RunAsync(string[] args)
    {
        var target = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? Chromium;
        if (!File.Exists(chromium))
        {
            Console.Error.WriteLine($"keymap: skipped, no Chromium at {chromium} (apt-get install -y chromium)");
            return;
        }

        await using var app = new BenchDashboard();
        var baseUrl = app.Start();
        var regions = app.Services.GetRequiredService<AwsClients>().Regions;
        var sandbox = app.Services.GetRequiredService<SandboxServer>();
        var inventory = app.Services.GetRequiredService<KeyInventory>();
        await inventory.RefreshAsync(CancellationToken.None); // the start-up refresh, before the synthetic keys
        var demoKeys = inventory.Current.KeyCount;
        // Each synthetic key is about 2.5 Regional keys (half are multi-Region with 2–4 replicas).
        var perRegion = Math.Max(0, (int)Math.Ceiling((target - demoKeys) / 2.5 / regions.Count));
        sandbox.Services.GetRequiredService<KmsSandboxSeeder>().AddSyntheticKeys(regions, perRegion);
        var refresh = Stopwatch.StartNew();
        await inventory.RefreshAsync(CancellationToken.None);
        var snapshot = inventory.Current;
        Console.Error.WriteLine($"keymap: {snapshot.KeyCount} keys read in {refresh.Elapsed.TotalSeconds:F1} s");
        var rows = new KeyMapFilter().Apply(KeyMapRow.From(snapshot)).ToList();
        var last = rows[^1];
        var probe = rows[rows.Count / 2];

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseUrl.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(120_000);
        await page.GotoAsync("/"); // warm the app's first render paths and the browser's caches
        await page.Locator("#app[data-circuit='interactive']").WaitForAsync();

        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/keys", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await page.Locator("tr.key-row[data-key-id]").First.WaitForAsync();
        var firstRows = clock.Elapsed.TotalMilliseconds;
        await page.Locator("#key-map-view[data-circuit='interactive']").WaitForAsync();
        await page.Locator("#row-count", new() { HasText = $"Showing {rows.Count} of {rows.Count} rows" }).WaitForAsync();
        var interactive = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        await page.Locator("#filter-search input, input#filter-search").First.FillAsync(probe.KeyId);
        await page.Locator("#row-count", new() { HasText = "Showing 1 of" }).WaitForAsync();
        var search = clock.Elapsed.TotalMilliseconds;
        await page.Locator("#filter-search input, input#filter-search").First.FillAsync("");
        await page.Locator("#row-count", new() { HasText = $"Showing {rows.Count} of" }).WaitForAsync();

        clock.Restart();
        await page.EvaluateAsync("() => { document.querySelectorAll('.key-matrix-scroll').forEach(e => e.scrollTop = e.scrollHeight); window.scrollTo(0, document.body.scrollHeight); }");
        await page.Locator($"tr.key-row[data-key-id='{last.KeyId}']").WaitForAsync();
        var scrollEnd = clock.Elapsed.TotalMilliseconds;
        var rendered = await page.Locator("tr.key-row[data-key-id]").CountAsync();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"keymap_browser keys={snapshot.KeyCount} rows={rows.Count} first_rows_ms={firstRows:F0} interactive_ms={interactive:F0} search_ms={search:F0} scroll_to_end_ms={scrollEnd:F0} rows_in_dom={rendered}"));
    }

    /// <summary>The real dashboard (Program.cs) in Sandbox mode on a free loopback port, with a throw-away data directory.</summary>
    private sealed class BenchDashboard : WebApplicationFactory<global::Program>
    {
        private readonly string _data = Directory.CreateTempSubdirectory("kmsdashboard-bench-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSolutionRelativeContentRoot("src/KmsDashboard.Web");
            builder.UseEnvironment("Development"); // static web assets (MudBlazor's CSS and JS) come from the build output
            builder.UseSetting("Backend:Mode", "Sandbox");
            builder.UseSetting("Storage:DataDirectory", _data);
            builder.UseSetting("Inventory:RefreshInterval", "01:00:00");
            builder.UseSetting("Inventory:ReadLastUse", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:KmsDashboard", "Warning");
        }

        public Uri Start()
        {
            UseKestrel(0);
            StartServer();
            return ClientOptions.BaseAddress;
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            try { Directory.Delete(_data, recursive: true); }
            catch (IOException) { }
        }
    }
}
