using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KmsDashboard.Core.Aws;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Tests.Moto;

/// <summary>
/// moto_server (a KMS/STS emulator nobody here wrote) on a free loopback port, as a peer to check the client layer
/// against. Use as a class or collection fixture; call <see cref="Require"/> first in each test: it skips the test
/// (or fails it under CI=true) when moto_server is not installed. <see cref="CreateClients"/> gives an
/// <see cref="AwsClients"/> in Aws mode with <c>Backend:ServiceUrl</c> pointing at moto.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private Process? _process;
    private string? _unavailable;

    /// <summary>moto's fixed account id.</summary>
    public const string AccountId = "123456789012";

    public Uri Url { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            _unavailable = "moto_server is not on PATH nor in ~/.pyenv/shims (pip install 'moto[server]')";
            return;
        }
        // The default credential chain (Aws mode) finds these first; moto accepts any credentials.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "testing");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);

        var port = FreeLoopbackPort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilServingAsync();
    }

    /// <summary>Skips the calling test (fails it when CI=true) if moto_server is not installed.</summary>
    public void Require()
    {
        if (_unavailable is null) return;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail($"CI=true and {_unavailable}.");
        Skip.If(true, _unavailable);
    }

    /// <summary>The dashboard's client layer in Aws mode, pointed at moto by <c>Backend:ServiceUrl</c>.</summary>
    public AwsClients CreateClients(params string[] regions) => new(Options.Create(new BackendOptions
    {
        Mode = BackendMode.Aws,
        Regions = regions,
        ServiceUrl = Url.ToString(),
    }));

    /// <summary>Forgets every resource moto holds (POST /moto-api/reset).</summary>
    public async Task ResetAsync()
    {
        using var http = new HttpClient { BaseAddress = Url };
        (await http.PostAsync("/moto-api/reset", null)).EnsureSuccessStatusCode();
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode} before serving.");
            try
            {
                using var response = await http.GetAsync("/moto-api/");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"moto_server did not answer at {Url} within 90 s.");
            await Task.Delay(200);
        }
    }

    private static string? FindExecutable()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(home, ".pyenv", "shims"))
            .Select(d => Path.Combine(d, "moto_server"))
            .FirstOrDefault(File.Exists);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
