using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using KmsDashboard.Core.Aws;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KmsDashboard.Bench.Circuits;

/// <summary>
/// Issue 15: what N concurrent Blazor circuits on the 10,000-key map cost the server. The dashboard runs as a process
/// of its own (Aws mode against a sandbox in this process, so the sandbox's heap and CPU are not the server's), with
/// <c>Diagnostics:HeapEndpoint=true</c>; headless Chromium opens N pages on /keys, each searching and scrolling.
/// Measures the server's live heap after a full collection with none and with N circuits (idle, then after the
/// interactions), the p95 interaction latency, and the server's CPU per interaction apart from this process's and
/// Chromium's.
/// </summary>
internal static class CircuitsBenchmark
{
    private const string Chromium = "/usr/bin/chromium";
    /// <summary>The search box's debounce on the key map (KeyMapView.TypingDebounceMs): server-side, before the filter runs.</summary>
    private const double SearchDebounceMs = KmsDashboard.Web.Features.Inventory.KeyMapView.TypingDebounceMs;
    private static readonly string[] Regions = BackendOptions.SandboxDemoRegions;

    public static async Task RunAsync(string[] args)
    {
        // name=value (n=10,25,50 keys=10000 rounds=3 client=light|chromium) or, as before, n, keys and rounds by position.
        var named = args.Where(a => a.Contains('=')).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);
        var positional = args.Where(a => !a.Contains('=')).ToArray();
        string? Arg(string name, int position) => named.GetValueOrDefault(name) ?? (positional.Length > position ? positional[position] : null);
        var counts = Arg("n", 0) is { } n0 ? n0.Split(',').Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10, 25, 50];
        var target = Arg("keys", 1) is { } k ? int.Parse(k, CultureInfo.InvariantCulture) : 10_000;
        var rounds = Arg("rounds", 2) is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
        var client = named.GetValueOrDefault("client", "light");
        if (client is not ("light" or "chromium")) throw new ArgumentException($"client={client}: light or chromium.");
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? Chromium;
        if (client == "chromium" && !File.Exists(chromium))
        {
            Console.Error.WriteLine($"circuits: skipped, no Chromium at {chromium} (apt-get install -y chromium)");
            return;
        }

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { EnforceQuotas = false });
        // Each synthetic key is about 2.5 Regional keys (half are multi-Region with 2–4 replicas); the demo account adds ~40.
        var perRegion = Math.Max(0, (int)Math.Ceiling(target / 2.5 / Regions.Length));
        var added = sandbox.Services.GetRequiredService<KmsSandboxSeeder>().AddSyntheticKeys(Regions, perRegion);
        Console.Error.WriteLine($"circuits: sandbox at {sandbox.Url} with {added} synthetic Regional keys");

        foreach (var n in counts)
        {
            await using var server = await DashboardProcess.StartAsync(sandbox.Url);
            if (client == "light") await RunLightAsync(server, n, rounds);
            else await RunOnceAsync(server, chromium, n, rounds);
        }
    }

    private static async Task RunOnceAsync(DashboardProcess server, string chromium, int n, int rounds)
    {
        var keys = await server.WaitForInventoryAsync(TimeSpan.FromMinutes(10));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--renderer-process-limit=8"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Url.ToString(),
            ViewportSize = new() { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(180_000);

        // Warm-up: one circuit opened, searched, scrolled and closed, so the baseline holds the app's first-use caches
        // (the key map's rows for the snapshot, compiled render paths) that every circuit shares.
        var warm = await context.NewPageAsync();
        await SignInAsync(warm); // the cookie is the context's: every page after this one is signed in
        var total = await OpenKeyMapAsync(warm);
        var first = await warm.Locator("tr.key-row[data-key-id]").First.GetAttributeAsync("data-key-id") ?? throw new InvalidOperationException("No key row.");
        await ScrollAsync(warm, toEnd: true);
        var last = await StableLastRowAsync(warm);
        var probes = await ProbesAsync(warm, first);
        var session = new Session(total, first, last);
        await session.InteractAsync(warm, probes[0], rounds: 1, record: null);
        await warm.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        await server.WaitForCircuitsAsync(0, TimeSpan.FromSeconds(60));
        var baseline = await server.HeapAsync();
        await HeapDumpAsync(server, n, "baseline");

        // N circuits, opened a few at a time (Chromium and the server share the 2 cores with the measurement).
        var pages = new IPage[n];
        using (var gate = new SemaphoreSlim(4))
        {
            await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    pages[i] = await context.NewPageAsync();
                    await OpenKeyMapAsync(pages[i]);
                }
                finally { gate.Release(); }
            }));
        }
        await server.WaitForCircuitsAsync(n, TimeSpan.FromSeconds(60));
        var idle = await server.HeapAsync();
        await HeapDumpAsync(server, n, "idle");

        // Every circuit searches (a different key each), clears the search, scrolls to the end and back, `rounds` times.
        var latencies = new List<(string Kind, double Ms)>();
        var cpuBefore = server.CpuMs;
        var generatorBefore = GeneratorCpuMs(server.Pid);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(pages.Select((page, i) => session.InteractAsync(page, probes[i % probes.Count], rounds, latencies)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var serverCpu = server.CpuMs - cpuBefore;
        var generatorCpu = GeneratorCpuMs(server.Pid) - generatorBefore;
        var active = await server.HeapAsync();
        await HeapDumpAsync(server, n, "active");
        if (active.Circuits != n) Console.Error.WriteLine($"circuits: {active.Circuits} circuits open after the interactions, expected {n}");

        await context.CloseAsync();
        Report("chromium", n, keys, total, baseline, idle, active, latencies, serverCpu, generatorCpu, elapsed);
    }

    /// <summary>Opens <paramref name="n"/> light circuits on the key map, four at a time, and waits until the server counts them.</summary>
    private static async Task<Light.LightCircuit[]> OpenIdleAsync(DashboardProcess server, HttpClient http, System.Net.CookieContainer cookies, int n)
    {
        var circuits = new Light.LightCircuit[n];
        using (var gate = new SemaphoreSlim(4))
        {
            await Task.WhenAll(Enumerable.Range(0, n).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    (circuits[i], _) = await Light.LightKeyMap.OpenAsync(http, cookies);
                }
                finally { gate.Release(); }
            }));
        }
        await server.WaitForCircuitsAsync(n, TimeSpan.FromSeconds(60));
        return circuits;
    }

    /// <summary>
    /// The same steps with <see cref="LightCircuit"/>s (SignalR "blazorpack" clients in this process) instead of
    /// Chromium pages: one signed-in cookie, a warm-up circuit, N circuits idle, then every circuit searching, clearing
    /// and scrolling at once. Every interaction ends when the rendered rows show its result (the one key searched for;
    /// the first row counted among all; the last row; the first row again).
    /// </summary>
    private static async Task RunLightAsync(DashboardProcess server, int n, int rounds)
    {
        var keys = await server.WaitForInventoryAsync(TimeSpan.FromMinutes(10));
        var (http, cookies) = await Light.LightKeyMap.SignInAsync(server.Url);
        using var signedIn = http;

        var (warm, total) = await Light.LightKeyMap.OpenAsync(http, cookies);
        var first = warm.Read(Light.LightKeyMap.Rows)[0];
        var (last, atEnd) = await Light.LightKeyMap.ScrollToEndAsync(warm);
        var probes = atEnd.Where(id => id != first).ToList();
        if (probes.Count == 0) probes.Add(first);
        await Light.LightKeyMap.InteractAsync(warm, probes[0], total, first, last, rounds: 1, record: null);
        Console.Error.WriteLine($"circuits: light client, {total} rows, JS interop answered: " +
            string.Join(", ", warm.InteropCalls.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}×{c.Value}")));
        await warm.DisposeAsync();
        await server.WaitForCircuitsAsync(0, TimeSpan.FromSeconds(60));
        var baseline = await server.HeapAsync();
        await HeapDumpAsync(server, n, "baseline");

        var circuits = await OpenIdleAsync(server, http, cookies, n);
        var idle = await server.HeapAsync();
        await HeapDumpAsync(server, n, "idle");

        var latencies = new List<(string Kind, double Ms)>();
        var cpuBefore = server.CpuMs;
        var generatorBefore = GeneratorCpuMs(server.Pid);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(circuits.Select((c, i) => Light.LightKeyMap.InteractAsync(c, probes[i % probes.Count], total, first, last, rounds, latencies)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var serverCpu = server.CpuMs - cpuBefore;
        var generatorCpu = GeneratorCpuMs(server.Pid) - generatorBefore;
        var active = await server.HeapAsync();
        await HeapDumpAsync(server, n, "active");
        if (active.Circuits != n) Console.Error.WriteLine($"circuits: {active.Circuits} circuits open after the interactions, expected {n}");
        if (circuits.FirstOrDefault(c => c.Error is not null) is { } failed) Console.Error.WriteLine($"circuits: {failed.Error}");
        foreach (var c in circuits) await c.DisposeAsync();

        // The same N idle circuits again, now that the process's pools (ArrayPool, Kestrel's blocks, SignalR's pipes)
        // have been sized by N at once: the heap with none open (after those N closed) against N open again is what the
        // circuits themselves hold, without the one-off growth of pools that stays once they close.
        await server.WaitForCircuitsAsync(0, TimeSpan.FromSeconds(60));
        var sized = await server.HeapAsync();
        var again = await OpenIdleAsync(server, http, cookies, n);
        var idleAgain = await server.HeapAsync();
        foreach (var c in again) await c.DisposeAsync();
        Console.WriteLine($"circuits_pools_sized n={n} client=light idle_kb_per_circuit={(idleAgain.LiveBytes - sized.LiveBytes) / 1024.0 / n:F0} " +
            $"baseline_mb={sized.LiveBytes / 1048576.0:F1} pools_kb_per_circuit={(sized.LiveBytes - baseline.LiveBytes) / 1024.0 / n:F0}");
        Report("light", n, keys, total, baseline, idle, active, latencies, serverCpu, generatorCpu, elapsed);
    }

    private static void Report(string client, int n, int keys, int total, HeapReport baseline, HeapReport idle, HeapReport active,
        List<(string Kind, double Ms)> latencies, double serverCpu, double generatorCpu, double elapsed)
    {
        var interactions = latencies.Count;
        var net = latencies.Select(l => l.Kind is "search" or "clear" ? Math.Max(0, l.Ms - SearchDebounceMs) : l.Ms).Order().ToList();
        var raw = latencies.Select(l => l.Ms).Order().ToList();
        double Kb(HeapReport h) => (h.LiveBytes - baseline.LiveBytes) / 1024.0 / n;
        double P(List<double> xs, double q) => xs.Count == 0 ? double.NaN : xs[Math.Min(xs.Count - 1, (int)Math.Ceiling(q * xs.Count) - 1)];
        string Kind(string kind) => string.Join(' ', new[] { 0.5, 0.95 }.Select(q =>
        {
            var xs = latencies.Where(l => l.Kind == kind).Select(l => l.Ms).Order().ToList();
            return string.Create(CultureInfo.InvariantCulture, $"{kind}_p{q * 100:F0}_ms={P(xs, q):F0}");
        }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"circuits n={n} server_mb_per_circuit={Kb(active) / 1024:F2} p95_interaction_ms={P(net, 0.95):F0} cpu_ms_per_interaction={serverCpu / interactions:F1} " +
            $"idle_kb_per_circuit={Kb(idle):F0} active_kb_per_circuit={Kb(active):F0} baseline_mb={baseline.LiveBytes / 1048576.0:F1} " +
            $"p50_interaction_ms={P(net, 0.5):F0} p95_with_debounce_ms={P(raw, 0.95):F0} generator_cpu_ms_per_interaction={generatorCpu / interactions:F1} " +
            $"interactions={interactions} seconds={elapsed:F1} keys={keys} rows={total} client={client} load_average={LoadAverage()}"));
        Console.WriteLine($"circuits_detail n={n} client={client} {Kind("search")} {Kind("clear")} {Kind("scroll_end")} {Kind("scroll_top")}");
    }

    /// <summary>The 1-minute load average when the line is printed (other work on the machine shows in every figure).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>
    /// <c>BENCH_HEAPDUMP_DIR</c> set: a dump of the server (<c>dotnet-dump collect --type Heap</c>; the tool on PATH or
    /// in <c>DOTNET_DUMP</c>) at each measuring point, and its <c>dumpheap -stat</c> beside it, to see what circuits hold.
    /// </summary>
    private static async Task HeapDumpAsync(DashboardProcess server, int n, string phase)
    {
        if (Environment.GetEnvironmentVariable("BENCH_HEAPDUMP_DIR") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        var tool = Environment.GetEnvironmentVariable("DOTNET_DUMP") ?? "dotnet-dump";
        var dump = Path.Combine(dir, $"circuits-n{n}-{phase}.dmp");
        await RunToolAsync(tool, ["collect", "-p", server.Pid.ToString(CultureInfo.InvariantCulture), "--type", "Heap", "-o", dump], null);
        await RunToolAsync(tool, ["analyze", dump, "-c", "dumpheap -stat", "-c", "exit"], Path.ChangeExtension(dump, ".txt"));
        Console.Error.WriteLine($"circuits: heap dump {dump}");

        static async Task RunToolAsync(string tool, string[] args, string? output)
        {
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed: {await stderr}");
            if (output is not null) await File.WriteAllTextAsync(output, await stdout);
        }
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/signin?returnUrl=%2F");
        await page.Locator("#userName").FillAsync("bench");
        await page.Locator("#role-viewer").SetCheckedAsync(true);
        await page.Locator("#local-signin").ClickAsync();
        await page.Locator("#app[data-circuit='interactive']").WaitForAsync();
    }

    /// <summary>Navigates to the key map and waits for the circuit and every row's count.</summary>
    private static async Task<int> OpenKeyMapAsync(IPage page)
    {
        await page.GotoAsync("/keys");
        await page.Locator("#key-map-view[data-circuit='interactive']").WaitForAsync(); // the key map's own interactive part
        var count = page.Locator("#row-count");
        await count.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"Showing (\d+) of \1 rows") }).WaitForAsync();
        var text = await count.InnerTextAsync();
        return int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static Task ScrollAsync(IPage page, bool toEnd) => page.EvaluateAsync(toEnd
        ? "() => document.querySelectorAll('.key-matrix-scroll').forEach(e => e.scrollTop = e.scrollHeight)"
        : "() => document.querySelectorAll('.key-matrix-scroll').forEach(e => e.scrollTop = 0)");

    /// <summary>The last row's key id: the last rendered row once Virtualize has stopped adding rows at the end.</summary>
    private static async Task<string> StableLastRowAsync(IPage page)
    {
        string? last = null;
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(250);
            var now = await page.Locator("#key-matrix tr.key-row[data-key-id]").Last.GetAttributeAsync("data-key-id");
            if (now is not null && now == last) return now;
            last = now;
        }
        throw new InvalidOperationException("The key map never settled at its last row.");
    }

    /// <summary>Key ids to search for: the rows around the end of the list (one per circuit, reused beyond that).</summary>
    private static async Task<List<string>> ProbesAsync(IPage page, string first)
    {
        var ids = new List<string>();
        foreach (var row in await page.Locator("#key-matrix tr.key-row[data-key-id]").AllAsync())
            if (await row.GetAttributeAsync("data-key-id") is { } id && id != first) ids.Add(id);
        return ids.Count > 0 ? ids : [first];
    }

    private sealed record Session(int Total, string First, string Last)
    {
        /// <summary>One round: search for a key, clear the search, scroll to the end, scroll back; each timed to the rendered result.</summary>
        public async Task InteractAsync(IPage page, string probe, int rounds, List<(string, double)>? record)
        {
            var search = page.Locator("#filter-search input, input#filter-search").First;
            var matrix = page.Locator("#key-matrix");
            for (var r = 0; r < rounds; r++)
            {
                await Timed("search", async () =>
                {
                    await search.FillAsync(probe);
                    await page.Locator("#row-count", new() { HasText = "Showing 1 of" }).WaitForAsync();
                });
                await Timed("clear", async () =>
                {
                    await search.FillAsync("");
                    await page.Locator("#row-count", new() { HasText = $"Showing {Total} of" }).WaitForAsync();
                });
                await Timed("scroll_end", async () =>
                {
                    await ScrollAsync(page, toEnd: true);
                    await matrix.Locator($"tr.key-row[data-key-id='{Last}']").WaitForAsync();
                });
                await Timed("scroll_top", async () =>
                {
                    await ScrollAsync(page, toEnd: false);
                    await matrix.Locator($"tr.key-row[data-key-id='{First}']").WaitForAsync();
                });
            }

            async Task Timed(string kind, Func<Task> step)
            {
                var clock = Stopwatch.StartNew();
                await step();
                if (record is null) return;
                lock (record) record.Add((kind, clock.Elapsed.TotalMilliseconds));
            }
        }
    }

    /// <summary>CPU time of this process and every process under it (Chromium and Playwright's driver), the server's tree excepted.</summary>
    private static double GeneratorCpuMs(int serverPid)
    {
        var self = Environment.ProcessId;
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) "
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        long total = 0;
        foreach (var (pid, t) in ticks)
        {
            for (var p = pid; p > 1; p = parents.GetValueOrDefault(p))
            {
                if (p == serverPid) break;
                if (p != self) continue;
                total += t;
                break;
            }
        }
        return total * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    internal sealed record HeapReport(long LiveBytes, double CpuMs, int Circuits, int ConnectedCircuits, int InventoryKeys, bool Refreshing);

    /// <summary>The dashboard (the Web project's build output) as a child process, Aws mode against the sandbox's URL.</summary>
    private sealed class DashboardProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _data;
        private readonly HttpClient _http;

        private DashboardProcess(Process process, Uri url, string data)
        {
            _process = process;
            Url = url;
            _data = data;
            _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
        }

        public Uri Url { get; }
        public int Pid => _process.Id;
        public double CpuMs { get { _process.Refresh(); return _process.TotalProcessorTime.TotalMilliseconds; } }

        public static async Task<DashboardProcess> StartAsync(Uri sandbox)
        {
            var root = RepoRoot();
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name; // bin/<Configuration>/net10.0
            var web = Path.Combine(root, "src", "KmsDashboard.Web");
            var dll = Path.Combine(web, "bin", configuration, "net10.0", "KmsDashboard.Web.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException($"Build the dashboard first ({dll} is missing).", dll);
            var port = FreePort();
            var url = new Uri($"http://127.0.0.1:{port}/");
            var data = Directory.CreateTempSubdirectory("kmsdashboard-circuits-").FullName;
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = web, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(dll);
            foreach (var (name, value) in Settings(url, sandbox, data)) start.ArgumentList.Add($"--{name}={value}");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // static web assets from the build output
            start.Environment["AWS_ACCESS_KEY_ID"] = "AKIASANDBOXDASHBOARD";
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox-secret-key";
            start.Environment.Remove("AWS_PROFILE");
            var process = Process.Start(start) ?? throw new InvalidOperationException("The dashboard did not start.");
            process.OutputDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) Console.Error.WriteLine($"server: {line}"); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine($"server: {line}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new DashboardProcess(process, url, data);
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"The dashboard exited with {process.ExitCode}.");
                try
                {
                    if ((await server._http.GetAsync("healthz")).IsSuccessStatusCode) return server;
                }
                catch (HttpRequestException) { }
                if (DateTime.UtcNow > deadline) throw new TimeoutException("The dashboard did not answer /healthz in 2 minutes.");
                await Task.Delay(250);
            }
        }

        private static IEnumerable<(string, string)> Settings(Uri url, Uri sandbox, string data)
        {
            yield return ("urls", url.ToString().TrimEnd('/'));
            yield return ("Backend:Mode", "Aws");
            yield return ("Backend:ServiceUrl", sandbox.ToString());
            for (var i = 0; i < Regions.Length; i++) yield return ($"Backend:Regions:{i}", Regions[i]);
            yield return ("Authentication:Local:Enabled", "true"); // every circuit signed in as a Viewer, as on a real deployment
            yield return ("Authentication:Local:AllowWithAws", "true"); // the bench's sandbox stands in for AWS; local sign-in must be forced on
            yield return ("Storage:DataDirectory", data);
            yield return ("Inventory:RefreshInterval", "01:00:00");
            yield return ("Inventory:ReadLastUse", "false");
            // The findings' evaluation after the start-up refresh (about 100 MB of EF Core change tracking on 10,000 keys
            // for a few seconds) would otherwise land between the baseline and the N-circuit reading; it costs per process,
            // not per circuit.
            yield return ("Findings:EvaluateAfterRefresh", "false");
            yield return ("Diagnostics:HeapEndpoint", "true");
            yield return ("Logging:LogLevel:Default", "Warning");
            yield return ("Logging:LogLevel:KmsDashboard", "Warning");
        }

        public async Task<HeapReport> HeapAsync() =>
            await _http.GetFromJsonAsync<HeapReport>("_diagnostics/heap") ?? throw new InvalidOperationException("No heap report.");

        /// <summary>Waits for the start-up refresh to publish the estate; returns its key count.</summary>
        public async Task<int> WaitForInventoryAsync(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                var heap = await HeapAsync();
                if (heap.InventoryKeys > 100 && !heap.Refreshing)
                {
                    Console.Error.WriteLine($"circuits: server read {heap.InventoryKeys} keys in {clock.Elapsed.TotalSeconds:F0} s");
                    return heap.InventoryKeys;
                }
                await Task.Delay(1000);
            }
            throw new TimeoutException("The dashboard's inventory did not finish reading.");
        }

        public async Task WaitForCircuitsAsync(int open, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            HeapReport heap;
            // Reads without a forced collection would be cheaper, but the endpoint is the one source; a few are fine.
            while ((heap = await HeapAsync()).Circuits != open)
            {
                if (clock.Elapsed > timeout) throw new TimeoutException($"{heap.Circuits} circuits open, expected {open}.");
                await Task.Delay(500);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            try { Directory.Delete(_data, recursive: true); }
            catch (IOException) { }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "KmsDashboard.sln"))) return dir.FullName;
            throw new InvalidOperationException("KmsDashboard.sln not found above the benchmark's output.");
        }
    }
}
