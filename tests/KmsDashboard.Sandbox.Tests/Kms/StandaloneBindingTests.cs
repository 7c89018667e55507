using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KmsDashboard.Sandbox.Tests.Kms;

/// <summary>
/// The standalone sandbox accepts any credentials, so it listens on loopback unless told otherwise and warns when it
/// is reachable from other machines.
/// </summary>
public sealed class StandaloneBindingTests
{
    [Fact]
    public async Task OnAllInterfacesItWarnsThatOtherMachinesCanReachIt()
    {
        var port = FreePort();

        var output = await RunUntilListeningAsync(port, "--urls", $"http://0.0.0.0:{port}");

        Assert.Contains($"WARNING: Sandbox listening on http://0.0.0.0:{port}: NOT loopback only", output);
        Assert.Contains("move its clock, inject faults and reset it", output);
    }

    [Fact]
    public async Task OnLoopbackItSaysSoWithoutAWarning()
    {
        var port = FreePort();

        var output = await RunUntilListeningAsync(port, "--urls", $"http://127.0.0.1:{port}");

        Assert.Contains($"Sandbox listening on http://127.0.0.1:{port} (loopback only", output);
        Assert.DoesNotContain("WARNING", output);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4566", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:4566", true)]
    [InlineData("http://0.0.0.0:4566", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://10.1.2.3:4566", false)]
    public void LoopbackAddressesAreTold(string address, bool loopback) =>
        Assert.Equal(loopback, SandboxProgram.IsLoopback(address));

    private static Task<string> RunUntilListeningAsync(int port, params string[] args) => RunUntilListeningAsync(port, new Dictionary<string, string>(), args);

    private static async Task<string> RunUntilListeningAsync(int port, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "KmsDashboard.Sandbox.dll"));
        foreach (var arg in args.Append("--Sandbox:SeedDemoAccount=false")) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                Assert.False(process.HasExited, "The standalone sandbox exited during start-up: " + output);
                lock (output) if (output.ToString().Contains("Sandbox listening on", StringComparison.Ordinal)) break;
                await Task.Delay(200);
            }
            using var health = await http.GetAsync("/_sandbox/health");
            Assert.True(health.IsSuccessStatusCode);
            await Task.Delay(300);   // the rest of the start-up lines
            lock (output) return output.ToString();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
