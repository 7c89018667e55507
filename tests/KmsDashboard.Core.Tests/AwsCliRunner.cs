using System.Diagnostics;
using System.Text.Json;

namespace KmsDashboard.Core.Tests;

/// <summary>
/// The Python <c>aws</c> CLI (v1) against a sandbox, with throw-away credentials and no user configuration. Missing CLI:
/// skipped, or failed when CI=true (<see cref="KmsDashboard.Sandbox.Tests.ExternalTool"/>).
/// </summary>
internal sealed class AwsCliRunner(Uri endpoint)
{
    private static string? _path;

    /// <summary>The CLI (resolved past a pyenv shim, which costs a second a call); skips or fails the test when it is missing.</summary>
    public static string Require() => _path ??= KmsDashboard.Sandbox.Tests.ExternalTool.Require("aws");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public async Task<Result> RunAsync(string region, params string[] args)
    {
        var start = new ProcessStartInfo(Require()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args.Concat(["--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", region, "--output", "json"])) start.ArgumentList.Add(arg);
        start.Environment["AWS_ACCESS_KEY_ID"] = "AKIDKMSDASHBOARDCLI";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = "";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed and returns its JSON answer.</summary>
    public async Task<JsonElement> JsonAsync(string region, params string[] args)
    {
        var result = await RunAsync(region, args);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)} in {region}: {result.Stderr}");
        return JsonDocument.Parse(result.Stdout).RootElement;
    }
}
