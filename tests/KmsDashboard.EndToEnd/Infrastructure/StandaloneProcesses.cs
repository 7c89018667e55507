using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KmsDashboard.EndToEnd.Infrastructure;

/// <summary>
/// Real processes a test starts (the standalone sandbox and dashboard from the test's output directory, nginx), each
/// stopped by its own handle when the test ends. Their output is kept for the failure message.
/// </summary>
public sealed class StandaloneProcesses : IAsyncDisposable
{
    private readonly List<(Process Process, string Name, System.Text.StringBuilder Output)> _processes = [];

    /// <summary>Starts <c>dotnet {dll}</c> (KmsDashboard.Sandbox.dll, KmsDashboard.Web.dll) from the test's output directory.</summary>
    public Process StartDotnet(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, string? name = null)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in env) start.Environment[key] = value;
        return Start(start, name ?? dll);
    }

    public Process Start(ProcessStartInfo start, string name)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        void Keep(string? line)
        {
            if (line is null) return;
            lock (output) if (output.Length < 200_000) output.AppendLine(line);
        }
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add((process, name, output));
        return process;
    }

    /// <summary>The last lines a started process wrote (for an assertion's message).</summary>
    public string OutputOf(Process process, int lines = 40)
    {
        var entry = _processes.First(p => p.Process == process);
        lock (entry.Output)
            return string.Join('\n', entry.Output.ToString().Split('\n').TakeLast(lines));
    }

    /// <summary>Waits until <paramref name="path"/> answers below 500; fails at once if <paramref name="watched"/> exits.</summary>
    public static async Task WaitUntilUpAsync(HttpClient http, string path, int seconds = 90, Process? watched = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (watched is { HasExited: true }) Assert.Fail($"The process serving {http.BaseAddress} exited (code {watched.ExitCode}).");
            try
            {
                using var response = await http.GetAsync(path);
                if ((int)response.StatusCode < 500) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        Assert.Fail($"{http.BaseAddress}{path} did not answer within {seconds} s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _, _) in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
    }
}
