using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Sdk = Amazon.KeyManagementService.Model;

namespace KmsDashboard.EndToEnd.Actions;

/// <summary>
/// Issue 13: the standalone dashboard, against a standalone sandbox, is killed (SIGKILL) while call 3 of a 4-call
/// deletion is held in its Region (the sandbox's latency control); started again on the same data directory, it marks the entry "interrupted after
/// call 2 of 4", re-reads the keys, says of each open call whether it was done, and the journal page shows it.
/// </summary>
public sealed class KillAndReconcileTests : IAsyncLifetime
{
    private static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1"];
    private readonly List<Process> _processes = [];
    private readonly string _data = Directory.CreateTempSubdirectory("kmsdashboard-kill-").FullName;

    [SkippableFact]
    public async Task AKilledActionIsMarkedInterruptedAfterCall2Of4AndEachCallIsCheckedAtTheNextStart()
    {
        var chromium = RequiredTool.Require(RequiredTool.Find("chromium", DashboardFixture.ChromiumPath), "chromium", "the journal page is checked in a browser");
        var sandboxUrl = $"http://127.0.0.1:{FreePort()}";
        Start("KmsDashboard.Sandbox.dll", ["--urls", sandboxUrl, "--Sandbox:SeedDemoAccount=false", "--Sandbox:EnforceQuotas=false"], new Dictionary<string, string>());
        using var control = new HttpClient { BaseAddress = new Uri(sandboxUrl), Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilUpAsync(control, "/_sandbox/health");

        // A key set: the primary in us-east-1, replicas in the three other Regions.
        var credentials = new BasicAWSCredentials("AKIDKILLTEST", "secret");
        IAmazonKeyManagementService Kms(string region) => new AmazonKeyManagementServiceClient(credentials, new AmazonKeyManagementServiceConfig { ServiceURL = sandboxUrl, AuthenticationRegion = region });
        var keyId = (await Kms("us-east-1").CreateKeyAsync(new Sdk.CreateKeyRequest { MultiRegion = true, Description = "kill test" })).KeyMetadata.KeyId;
        foreach (var replica in Regions[1..]) await Kms("us-east-1").ReplicateKeyAsync(new Sdk.ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = replica });
        (await control.PostAsync("/_sandbox/clock/advance?seconds=120", null)).EnsureSuccessStatusCode();

        var appUrl = $"http://127.0.0.1:{FreePort()}";
        string[] appArgs =
        [
            "--urls", appUrl, "--environment", "Development", "--Backend:Mode=Aws", $"--Backend:ServiceUrl={sandboxUrl}",
            .. Regions.Select((r, i) => $"--Backend:Regions:{i}={r}"), $"--Storage:DataDirectory={_data}",
            "--Authentication:Local:Enabled=true", "--Authentication:Local:AllowWithAws=true", "--Inventory:ReadLastUse=false",
        ];
        Dictionary<string, string> env = new() { ["AWS_ACCESS_KEY_ID"] = "AKIDKILLTEST", ["AWS_SECRET_ACCESS_KEY"] = "secret", ["AWS_REGION"] = "us-east-1" };
        var app = Start("KmsDashboard.Web.dll", appArgs, env);
        using var http = new HttpClient { BaseAddress = new Uri(appUrl), Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilUpAsync(http, "/signin");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        var page = await (await browser.NewContextAsync(new() { BaseURL = appUrl, ViewportSize = new() { Width = 1440, Height = 900 } })).NewPageAsync();
        await DashboardFixture.SignInAsync(page, "kim", ["Admin"]);
        await DashboardFixture.GotoInteractiveAsync(page, $"/keys/{keyId}?region=us-east-1");
        await page.Locator("#action-schedule-deletion").ClickAsync(new() { Timeout = 90_000 });
        var dialog = page.Locator(".mud-dialog").Last;
        await dialog.Locator("#plan-button").ClickAsync();
        foreach (var replica in Regions[1..])
            await dialog.Locator($"[data-replica='{replica}'] input, input[data-replica='{replica}']").First.CheckAsync(new() { Timeout = 60_000 });
        await dialog.Locator("#plan-button").ClickAsync();
        await Assertions.Expect(dialog.Locator("#plan-calls")).ToContainTextAsync("eu-central-1", new() { Timeout = 60_000 });
        await dialog.Locator("#typed-confirmation").FillAsync(keyId);

        // The replicas go first, in Region order (eu-central-1, eu-west-1, us-west-2), then the primary. Call 3 (us-west-2)
        // is held by the sandbox; the app is killed while it waits for the answer.
        using (var hold = new StringContent("""{"latencyMs": 600000}""", System.Text.Encoding.UTF8, "application/json"))
            (await control.PutAsync("/_sandbox/faults/us-west-2", hold)).EnsureSuccessStatusCode();
        await dialog.Locator("#confirm").ClickAsync();
        await WaitForJournalAsync(keyId, "SELECT Status FROM journal_calls c JOIN journal_entries e ON e.Id = c.JournalEntryId WHERE e.KeyId = $key AND c.Step = 3", "Sending");
        app.Kill(); // SIGKILL: no shutdown code runs
        await app.WaitForExitAsync();
        (await control.DeleteAsync("/_sandbox/faults")).EnsureSuccessStatusCode();
        Assert.Equal("InProgress", await ScalarAsync("SELECT Outcome FROM journal_entries WHERE KeyId = $key", keyId));

        Start("KmsDashboard.Web.dll", appArgs, env);
        await WaitUntilUpAsync(http, "/signin");
        await WaitForJournalAsync(keyId, "SELECT Outcome FROM journal_entries WHERE KeyId = $key", "Interrupted");

        Assert.StartsWith("Interrupted after call 2 of 4", await ScalarAsync("SELECT Summary FROM journal_entries WHERE KeyId = $key", keyId), StringComparison.Ordinal);
        var calls = await RowsAsync("SELECT c.Step, c.Region, c.Status, IFNULL(c.Verification, '') FROM journal_calls c JOIN journal_entries e ON e.Id = c.JournalEntryId WHERE e.KeyId = $key ORDER BY c.Step", keyId);
        Assert.Equal(["1 eu-central-1 Succeeded ", "2 eu-west-1 Succeeded ", "3 us-west-2 Unknown NotDone", "4 us-east-1 Skipped NotDone"], calls);
        Assert.Equal("PendingDeletion", (await Kms("eu-west-1").DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState.Value);
        Assert.Equal("Enabled", (await Kms("us-west-2").DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState.Value);
        Assert.Equal("Enabled", (await Kms("us-east-1").DescribeKeyAsync(new Sdk.DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState.Value);

        // The journal page of the restarted app shows it.
        var after = await (await browser.NewContextAsync(new() { BaseURL = appUrl, ViewportSize = new() { Width = 1440, Height = 900 } })).NewPageAsync();
        await DashboardFixture.SignInAsync(after, "audrey", ["Auditor"]);
        await DashboardFixture.GotoInteractiveAsync(after, $"/journal?key={keyId}");
        var row = after.Locator("tr.journal-row[data-outcome='Interrupted']");
        await Assertions.Expect(row).ToContainTextAsync("Interrupted after call 2 of 4");
        await row.Locator("button[aria-label='Details']").ClickAsync();
        await Assertions.Expect(after.Locator("tr.journal-call[data-step='3']")).ToContainTextAsync("not done");
        await Assertions.Expect(after.Locator("tr.journal-call[data-step='4'][data-verification='NotDone']")).ToBeVisibleAsync();
        await after.Locator("#journal-verify").ClickAsync();
        await Assertions.Expect(after.Locator("#journal-chain")).ToHaveAttributeAsync("data-holds", "true");
        await DashboardFixture.ScreenshotAsync(after, "journal-interrupted");
    }

    private Process Start(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> env)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in env) start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static async Task WaitUntilUpAsync(HttpClient http, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync(path);
                if ((int)response.StatusCode < 500) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        Assert.Fail($"{http.BaseAddress}{path} did not answer within 90 s.");
    }

    private SqliteConnection Open() => new($"Data Source={Path.Combine(_data, "journal.db")};Mode=ReadOnly;Pooling=False");

    private async Task<string?> ScalarAsync(string sql, string keyId)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", keyId);
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    private async Task<List<string>> RowsAsync(string sql, string keyId)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$key", keyId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString())));
        return rows;
    }

    private async Task WaitForJournalAsync(string keyId, string sql, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            try { seen = await ScalarAsync(sql, keyId); }
            catch (SqliteException) { } // not created yet, or busy
            if (seen == expected) return;
            await Task.Delay(100);
        }
        Assert.Fail($"The journal never showed '{expected}' (last: '{seen}').");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Stops the processes this test started (by their own handles) and removes its data directory.</summary>
    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
