using System.Diagnostics;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.EndToEnd.Cluster;

/// <summary>
/// Issue 15's test cluster: one standalone sandbox, two standalone dashboards on one fresh PostgreSQL database
/// (<c>Storage:Provider=Postgres</c>), nginx in front with cookie stickiness and WebSockets. Signed in through nginx, an
/// action on instance A shows in the journal on instance B; only the leader reads the inventory from AWS (one ListKeys
/// per Region per refresh, whether one instance runs or two); when the leader is killed the other takes over refreshing
/// within one refresh interval. Each instance has its own access key, so the sandbox's CloudTrail says who read what.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    // The Development settings' six Regions, in their order (command-line entries replace them index by index).
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"];
    private static readonly string[] KeyRegions = ["us-east-1", "eu-west-1"];
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);
    private const string KeyA = "AKIDCLUSTERINSTANCEA", KeyB = "AKIDCLUSTERINSTANCEB";
    private readonly StandaloneProcesses _processes = new();
    private readonly List<string> _directories = [];
    private TestPostgres? _db;

    [SkippableFact]
    public async Task TwoInstancesBehindNginxShareSignInJournalAndOneRefresherThatMovesWhenTheLeaderDies()
    {
        var chromium = RequiredTool.Require(RequiredTool.Find("chromium", DashboardFixture.ChromiumPath), "chromium", "the cluster is checked in a browser");
        var nginx = RequiredTool.Require(RequiredTool.Find("nginx", "/usr/sbin/nginx"), "nginx", "the two instances are reached through it");
        _db = await TestPostgres.CreateAsync();

        var sandboxUrl = $"http://127.0.0.1:{StandaloneProcesses.FreePort()}";
        _processes.StartDotnet("KmsDashboard.Sandbox.dll", ["--urls", sandboxUrl, "--Sandbox:SeedDemoAccount=false", "--Sandbox:EnforceQuotas=false"],
            new Dictionary<string, string>(), "sandbox");
        using var control = new HttpClient { BaseAddress = new Uri(sandboxUrl), Timeout = TimeSpan.FromSeconds(10) };
        await StandaloneProcesses.WaitUntilUpAsync(control, "/_sandbox/health");
        var credentials = new BasicAWSCredentials("AKIDCLUSTERTEST", "secret");
        IAmazonKeyManagementService Kms(string region) => new AmazonKeyManagementServiceClient(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = sandboxUrl, AuthenticationRegion = region });
        var keyId = (await Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest { Description = "cluster test" })).KeyMetadata.KeyId;
        await Kms("eu-west-1").CreateKeyAsync(new Sdk.CreateKeyRequest { Description = "cluster test, second Region" });

        // Instance A starts alone and leads; B joins as a follower.
        var portA = StandaloneProcesses.FreePort();
        var portB = StandaloneProcesses.FreePort();
        var a = await StartInstanceAsync("instance-a", KeyA, portA, sandboxUrl);
        await WaitForAsync(async () => await _db.ScalarAsync<string>("SELECT leader FROM cluster_inventory_snapshot WHERE read_at IS NOT NULL") == "instance-a",
            "instance A to lead and publish a snapshot", a);
        var b = await StartInstanceAsync("instance-b", KeyB, portB, sandboxUrl);
        var bStarted = DateTime.UtcNow;

        var nginxPort = StandaloneProcesses.FreePort();
        var prefix = TempDirectory("kmsdashboard-nginx-");
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), NginxConfig.For(prefix, nginxPort, [portA, portB]));
        var proxy = _processes.Start(new ProcessStartInfo(nginx, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-e", "stderr"]), "nginx");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{nginxPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await StandaloneProcesses.WaitUntilUpAsync(http, "/healthz", 30);
        var stickyA = await StickyValueForAsync(http, portA);
        var stickyB = await StickyValueForAsync(http, portB);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        var baseUrl = $"http://127.0.0.1:{nginxPort}";

        // Signed in through nginx on instance A, an Admin schedules the key's deletion there.
        var contextA = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1440, Height = 900 } });
        await contextA.AddCookiesAsync([new Cookie { Name = "kmsdash_node", Value = stickyA, Domain = "127.0.0.1", Path = "/" }]);
        var pageA = await contextA.NewPageAsync();
        await DashboardFixture.SignInAsync(pageA, "adele", ["Admin"]);
        await DashboardFixture.GotoInteractiveAsync(pageA, $"/keys/{keyId}?region=us-east-1");
        await Assertions.Expect(pageA.Locator("#inventory-cluster[data-leader='true']")).ToContainTextAsync("instance-a", new() { Timeout = 60_000 });
        await pageA.Locator("#action-schedule-deletion").ClickAsync(new() { Timeout = 90_000 });
        var dialog = pageA.Locator(".mud-dialog").Last;
        await dialog.Locator("#plan-button").ClickAsync();
        await Assertions.Expect(dialog.Locator("#plan-calls")).ToContainTextAsync("PendingWindowInDays=30", new() { Timeout = 60_000 });
        await dialog.Locator("#typed-confirmation").FillAsync(keyId);
        await dialog.Locator("#confirm").ClickAsync();
        await Assertions.Expect(dialog.Locator("#action-result")).ToHaveAttributeAsync("data-outcome", "Succeeded", new() { Timeout = 60_000 });

        // The same browser session on instance B (its sign-in cookie read with the shared Data Protection keys): the
        // journal has A's entry, and the key shows the state A's re-read published.
        Assert.False(proxy.HasExited, $"nginx exited: {_processes.OutputOf(proxy)}");
        var contextB = await browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1440, Height = 900 } });
        await contextB.AddCookiesAsync([.. (await contextA.CookiesAsync()).Where(c => c.Name != "kmsdash_node").Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }), new Cookie { Name = "kmsdash_node", Value = stickyB, Domain = "127.0.0.1", Path = "/" }]);
        var pageB = await contextB.NewPageAsync();
        try
        {
            await DashboardFixture.GotoInteractiveAsync(pageB, $"/journal?key={keyId}");
        }
        catch (PlaywrightException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\nnginx exited: {proxy.HasExited}\n{_processes.OutputOf(proxy)}\ninstance-b exited: {b.HasExited}\n{_processes.OutputOf(b)}");
        }
        Assert.DoesNotContain("/signin", pageB.Url, StringComparison.Ordinal);
        await Assertions.Expect(pageB.Locator("tr.journal-row[data-action='ScheduleDeletion'][data-outcome='Succeeded']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await DashboardFixture.GotoInteractiveAsync(pageB, $"/keys/{keyId}?region=us-east-1");
        await Assertions.Expect(pageB.Locator("#inventory-cluster[data-leader='false']")).ToContainTextAsync("instance-a", new() { Timeout = 30_000 });
        await Assertions.Expect(pageB.Locator("#key-regions tr[data-region='us-east-1']")).ToContainTextAsync(
            new System.Text.RegularExpressions.Regex("Pending ?deletion", System.Text.RegularExpressions.RegexOptions.IgnoreCase), new() { Timeout = 30_000 });
        await DashboardFixture.ScreenshotAsync(pageB, "cluster-follower");

        // Two refreshes by the leader while both run, then the leader is killed.
        var readAt = await ReadAtAsync();
        for (var i = 0; i < 2; i++)
        {
            var before = readAt;
            await WaitForAsync(async () => (readAt = await ReadAtAsync()) > before, "the leader's next refresh", a, seconds: 90);
        }
        a.Kill(entireProcessTree: true);
        await a.WaitForExitAsync();
        var killed = Stopwatch.StartNew();
        var killedAt = DateTime.UtcNow;
        await WaitForAsync(async () => await _db.ScalarAsync<string>("SELECT leader FROM cluster_inventory_snapshot") == "instance-b",
            "instance B to take the lead", b, seconds: 60);
        var tookLead = killed.Elapsed;
        var readAtKill = readAt;
        await WaitForAsync(async () => await ReadAtAsync() > readAtKill, "instance B to refresh as the leader", b, seconds: 90);
        var refreshed = killed.Elapsed;
        Assert.True(tookLead < RefreshInterval, $"Instance B took the lead {tookLead.TotalSeconds:F1} s after the leader was killed.");
        Assert.True(refreshed < RefreshInterval + TimeSpan.FromSeconds(10), $"Instance B's first refresh as leader was published {refreshed.TotalSeconds:F1} s after the kill.");
        await DashboardFixture.GotoInteractiveAsync(pageB, "/");
        await Assertions.Expect(pageB.Locator("#inventory-cluster[data-leader='true']")).ToContainTextAsync("instance-b", new() { Timeout = 30_000 });

        // Who read the inventory, from the sandbox's CloudTrail: one ListKeys per Region per refresh, each refresh by one
        // instance, refreshes an interval apart; A only before it was killed, B only after.
        foreach (var region in KeyRegions)
        {
            var calls = (await ListKeysByAsync(sandboxUrl, region, KeyA)).Select(t => (Time: t, By: "A"))
                .Concat((await ListKeysByAsync(sandboxUrl, region, KeyB)).Select(t => (Time: t, By: "B"))).OrderBy(c => c.Time).ToList();
            var describe = $"ListKeys in {region}: {string.Join(", ", calls.Select(c => $"{c.By}@{c.Time:HH:mm:ss.fff}"))}";
            Assert.All(calls.Where(c => c.By == "B"), c => Assert.True(c.Time >= killedAt.AddSeconds(-1), describe));
            Assert.All(calls.Where(c => c.By == "A"), c => Assert.True(c.Time <= killedAt, describe));
            var refreshes = Refreshes(calls.Select(c => c.Time).ToList());
            Assert.All(refreshes, r => Assert.Single(r));
            Assert.True(refreshes.Count(r => r[0] > bStarted && r[0] < killedAt) >= 2, describe);
            Assert.Contains(calls, c => c.By == "B");
            for (var i = 1; i < refreshes.Count; i++)
                Assert.True(refreshes[i][0] - refreshes[i - 1][0] > RefreshInterval * 0.6 || refreshes[i - 1][0] < killedAt && refreshes[i][0] >= killedAt.AddSeconds(-1),
                    $"Two refreshes {(refreshes[i][0] - refreshes[i - 1][0]).TotalSeconds:F1} s apart: {describe}");
        }
    }

    /// <summary>ListKeys calls an access key made in a Region, by their CloudTrail event times (UTC).</summary>
    private static async Task<List<DateTime>> ListKeysByAsync(string sandboxUrl, string region, string accessKey)
    {
        var client = new CloudTrailClient(new BasicAWSCredentials("AKIDCLUSTERTEST", "secret"), region, new Uri(sandboxUrl), new CloudTrailRateLimiter());
        var times = new List<DateTime>();
        string? token = null;
        do
        {
            var page = await client.LookupEventsAsync(new LookupEventsRequest
            {
                LookupAttributes = [new LookupAttribute { AttributeKey = LookupAttributeKey.AccessKeyId, AttributeValue = accessKey }],
                MaxResults = 50,
                NextToken = token,
            });
            times.AddRange(page.Events.Where(e => e.EventName == "ListKeys" && e.EventTime is not null).Select(e => DateTime.SpecifyKind(e.EventTime!.Value, DateTimeKind.Utc)));
            token = page.NextToken;
        } while (token is not null);
        return times;
    }

    /// <summary>Calls grouped into refreshes: a refresh's calls come within a few seconds, refreshes an interval apart.</summary>
    private static List<List<DateTime>> Refreshes(List<DateTime> times)
    {
        var groups = new List<List<DateTime>>();
        foreach (var time in times)
        {
            if (groups.Count == 0 || time - groups[^1][^1] > TimeSpan.FromSeconds(4)) groups.Add([]);
            groups[^1].Add(time);
        }
        return groups;
    }

    private async Task<Process> StartInstanceAsync(string name, string accessKey, int port, string sandboxUrl)
    {
        var url = $"http://127.0.0.1:{port}";
        string[] args =
        [
            "--urls", url, "--environment", "Development", "--Backend:Mode=Aws", $"--Backend:ServiceUrl={sandboxUrl}",
            .. Regions.Select((r, i) => $"--Backend:Regions:{i}={r}"), $"--Storage:DataDirectory={TempDirectory("kmsdashboard-cluster-")}",
            "--Storage:Provider=Postgres", $"--Storage:ConnectionString={_db!.ConnectionString}",
            $"--Cluster:InstanceName={name}", "--Cluster:LeaderCheckInterval=00:00:01", $"--Inventory:RefreshInterval={RefreshInterval}",
            "--Authentication:Local:Enabled=true", "--Authentication:Local:AllowWithAws=true", "--Inventory:ReadLastUse=false",
            "--Findings:EvaluateAfterRefresh=false",
        ];
        var process = _processes.StartDotnet("KmsDashboard.Web.dll", args,
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = accessKey, ["AWS_SECRET_ACCESS_KEY"] = "secret", ["AWS_REGION"] = "us-east-1" }, name);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await StandaloneProcesses.WaitUntilUpAsync(http, "/signin", watched: process);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new Xunit.Sdk.XunitException($"{name} did not start: {ex.Message}\n{_processes.OutputOf(process)}");
        }
        return process;
    }

    /// <summary>A value of the stickiness cookie that nginx sends to the instance on <paramref name="port"/>.</summary>
    private static async Task<string> StickyValueForAsync(HttpClient http, int port)
    {
        for (var i = 0; i < 64; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            request.Headers.Add("Cookie", $"kmsdash_node=node{i}");
            using var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("X-Dashboard-Upstream", out var upstream) && upstream.Single() == $"127.0.0.1:{port}") return $"node{i}";
        }
        throw new Xunit.Sdk.XunitException($"No stickiness cookie value led nginx to port {port}.");
    }

    private async Task<DateTime> ReadAtAsync() => await _db!.ScalarAsync<DateTime>("SELECT read_at FROM cluster_inventory_snapshot");

    private async Task WaitForAsync(Func<Task<bool>> condition, string what, Process watched, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == "42P01") { } // the table is not created yet
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"Gave up waiting for {what} after {seconds} s.\n{_processes.OutputOf(watched)}");
    }

    private string TempDirectory(string prefix)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        _directories.Add(path);
        return path;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _processes.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
        foreach (var directory in _directories)
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
