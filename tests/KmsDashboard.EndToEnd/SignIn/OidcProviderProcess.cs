using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KmsDashboard.EndToEnd.Infrastructure;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// A real OpenID Connect provider: the npm package oidc-provider (tests/oidc-provider/server.mjs, installed by
/// <c>npm ci --prefix tests/oidc-provider</c>, which .ci/run does) run by the machine's Node.js on a loopback port.
/// Users alice (groups kms-admins, staff), oscar (kms-operators, staff) and vera (staff); any password.
/// Missing node or the package: the test is skipped, or fails under CI=true.
/// </summary>
public sealed class OidcProviderProcess : IAsyncDisposable
{
    public const string ClientId = "kmsdashboard";
    public const string ClientSecret = "kmsdashboard-test-secret";

    private readonly Process _process;

    private OidcProviderProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>The folder with server.mjs and node_modules, found from the test output upwards.</summary>
    public static string ToolsDirectory { get; } = FindToolsDirectory();

    /// <summary>A free loopback port for the provider (the dashboard needs its URL before it starts).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Null (the test skipped or failed) when node or the package is missing.</summary>
    public static string RequireNode()
    {
        var node = RequiredTool.Require(RequiredTool.Find("node", "/usr/bin/node"), "node", "Node.js runs the test OpenID Connect provider");
        if (!Directory.Exists(Path.Combine(ToolsDirectory, "node_modules", "oidc-provider")))
            RequiredTool.Require(null, "oidc-provider (npm)", $"run: npm ci --prefix {ToolsDirectory}");
        return node;
    }

    public static async Task<OidcProviderProcess> StartAsync(string node, int port, Uri dashboard)
    {
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = ToolsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "server.mjs", "--port", port.ToString(), "--redirect-base", dashboard.GetLeftPart(UriPartial.Authority) })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.StartsWith("listening ", StringComparison.Ordinal)) ready.TrySetResult(new Uri(e.Data["listening ".Length..].Trim() + "/"));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var winner = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        if (winner != ready.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            lock (log) throw new InvalidOperationException("The test OpenID Connect provider did not start: " + log);
        }
        return new OidcProviderProcess(process, await ready.Task);
    }

    private static string FindToolsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "oidc-provider");
            if (File.Exists(Path.Combine(candidate, "server.mjs"))) return candidate;
        }
        return Path.Combine(AppContext.BaseDirectory, "oidc-provider-not-found");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
