using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using KmsDashboard.EndToEnd.Infrastructure;
using Microsoft.Playwright;

namespace KmsDashboard.EndToEnd.Moto;

/// <summary>
/// The dashboard pointed at moto (<c>Backend:ServiceUrl</c>, Aws mode): a multi-Region key moto made (mrk- and a
/// dashed UUID), replicated and aliased with the AWS CLI, opens from the key map with its Regions.
/// </summary>
public sealed class MotoKeyMapTests : IAsyncLifetime
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1"];
    private const string Alias = "alias/moto-e2e";

    private Process? _moto;
    private Uri _motoUrl = default!;
    private string? _missing;
    private DashboardAppFactory? _app;
    private string _keyId = "";

    public async Task InitializeAsync()
    {
        var motoServer = RequiredTool.Find("moto_server");
        var aws = RequiredTool.Find("aws");
        if (motoServer is null || aws is null)
        {
            _missing = motoServer is null ? "moto_server" : "aws";
            return;
        }
        // moto accepts any credentials; the app's default chain (Aws mode) and the CLI both read these.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        var port = FreePort();
        _motoUrl = new Uri($"http://127.0.0.1:{port}/");
        _moto = Process.Start(new ProcessStartInfo(motoServer, ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        }) ?? throw new InvalidOperationException("moto_server did not start.");
        _moto.OutputDataReceived += (_, _) => { };
        _moto.ErrorDataReceived += (_, _) => { };
        _moto.BeginOutputReadLine();
        _moto.BeginErrorReadLine();
        await WaitForMotoAsync();

        var created = await AwsAsync(aws, "us-east-1", "kms", "create-key", "--multi-region", "--description", "moto e2e key set");
        _keyId = created.RootElement.GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        await AwsAsync(aws, "us-east-1", "kms", "replicate-key", "--key-id", _keyId, "--replica-region", "eu-west-1");
        await AwsAsync(aws, "us-east-1", "kms", "create-alias", "--alias-name", Alias, "--target-key-id", _keyId);

        var settings = new Dictionary<string, string?>
        {
            ["Backend:Mode"] = "Aws",
            ["Backend:ServiceUrl"] = _motoUrl.ToString(),
            // moto does not serve GetKeyLastUsage: not asked at all here, to keep the test about the key map.
            ["Inventory:ReadLastUse"] = "false",
            // Against a non-sandbox endpoint the local sign-in is off unless forced on (a test endpoint, not AWS).
            ["Authentication:Local:Enabled"] = "true",
            ["Authentication:Local:AllowWithAws"] = "true",
        };
        // The Regions stay Development's six (us-east-1 and eu-west-1 among them): moto answers in any Region.
        _app = new DashboardAppFactory(settings);
    }

    [SkippableFact]
    public async Task AMotoMultiRegionKeyOpensFromTheKeyMapWithItsRegions()
    {
        RequiredTool.Require(_missing is null ? "" : null, _missing ?? "", "the moto peer check needs moto_server and the aws CLI");
        Assert.StartsWith("mrk-", _keyId);
        var fixture = new DashboardFixture(_app!);
        _app = null; // the fixture owns it now
        await fixture.InitializeAsync();
        var page = await fixture.NewPageAsync();
        try
        {
            await DashboardFixture.SignInAsync(page, "mo", ["Viewer"], "/keys");
            var row = page.Locator($"tr.key-row[data-key-id='{_keyId}']");
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 90_000 });
            await Assertions.Expect(row).ToContainTextAsync("moto-e2e");
            await DashboardFixture.ScreenshotAsync(page, "moto-key-map");

            await row.Locator("a.key-name").ClickAsync();

            await page.WaitForURLAsync(url => url.Contains("/keys/" + _keyId, StringComparison.Ordinal));
            var regions = page.Locator("#key-regions");
            await Assertions.Expect(regions).ToBeVisibleAsync(new() { Timeout = 60_000 });
            foreach (var region in Regions) await Assertions.Expect(regions).ToContainTextAsync(region);
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("is not a KMS key id");
            await DashboardFixture.ScreenshotAsync(page, "moto-key-page");
        }
        finally
        {
            await page.Context.CloseAsync();
            await fixture.DisposeAsync();
        }
    }

    private async Task<JsonDocument> AwsAsync(string aws, string region, params string[] args)
    {
        var start = new ProcessStartInfo(aws, ["--endpoint-url", _motoUrl.ToString(), "--region", region, "--output", "json", .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)} failed: {await error}");
        var text = await output;
        return JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
    }

    private async Task WaitForMotoAsync()
    {
        using var http = new HttpClient { BaseAddress = _motoUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_moto!.HasExited) throw new InvalidOperationException($"moto_server exited with code {_moto.ExitCode}.");
            try
            {
                using var response = await http.GetAsync("/moto-api/");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"moto_server did not answer at {_motoUrl}.");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_moto is { HasExited: false })
        {
            _moto.Kill(entireProcessTree: true);
            await _moto.WaitForExitAsync();
        }
        _moto?.Dispose();
    }
}
