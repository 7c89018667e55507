using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KmsDashboard.Core.Tests.Runbooks;

/// <summary>
/// The sandbox as its own process (<c>dotnet KmsDashboard.Sandbox.dll --urls …</c>, what the README's standalone
/// <c>dotnet run</c> starts) on a free loopback port, with the demo account seeded; killed on dispose.
/// </summary>
internal sealed class StandaloneSandbox : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output, _errors;

    private StandaloneSandbox(Process process, Uri url)
    {
        _process = process;
        Url = url;
        _output = process.StandardOutput.ReadToEndAsync();
        _errors = process.StandardError.ReadToEndAsync();
    }

    public Uri Url { get; }

    public static async Task<StandaloneSandbox> StartAsync(params string[] settings)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "KmsDashboard.Sandbox.dll"), "--urls", url.ToString().TrimEnd('/') }.Concat(settings))
            start.ArgumentList.Add(arg);
        var sandbox = new StandaloneSandbox(Process.Start(start)!, url);
        try
        {
            await sandbox.WaitUntilUpAsync();
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilUpAsync()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) Assert.Fail($"The standalone sandbox exited during start-up: {await _errors}");
            try
            {
                using var health = await http.GetAsync("/_sandbox/health");
                if (health.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting on a busy machine.
            }
            await Task.Delay(200);
        }
        Assert.Fail("The standalone sandbox did not answer /_sandbox/health within 90 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _ = await _output;
        _ = await _errors;
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
