using System.Diagnostics;
using System.Text.Json;

namespace KmsDashboard.Sandbox.Tests;

/// <summary>
/// The Python <c>aws</c> CLI against a sandbox, with throw-away credentials and no user configuration; the one runner
/// every test project uses (linked into the Core tests). Missing CLI: skipped, or failed when CI=true
/// (<see cref="ExternalTool"/>).
/// </summary>
/// <param name="endpoint">The sandbox's URL.</param>
/// <param name="accessKeyId">Names the caller (the sandbox maps its demo access keys to users and roles).</param>
/// <param name="workingDirectory">Where relative <c>fileb://</c> paths are read from; the test's own directory when null.</param>
public class AwsCli(Uri endpoint, string accessKeyId = "AKIAIOSFODNN7EXAMPLE", string? workingDirectory = null)
{
    private static string? _path;

    public static string? Find() => ExternalTool.Find("aws");

    /// <summary>The CLI (resolved past a pyenv shim, which costs a second a call); skips or fails the test when it is missing.</summary>
    public static string Require() => _path ??= ExternalTool.Require("aws");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    /// <summary>Runs <c>aws ARGS --endpoint-url … --region REGION</c>, with <c>--output json</c> unless the arguments choose an output.</summary>
    public async Task<Result> RunAsync(string region, params string[] args)
    {
        var start = new ProcessStartInfo(Require()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var arg in (string[])["--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", region]) start.ArgumentList.Add(arg);
        if (!args.Contains("--output")) { start.ArgumentList.Add("--output"); start.ArgumentList.Add("json"); }
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox-secret";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["AWS_MAX_ATTEMPTS"] = "10";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_DEFAULT_REGION");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"aws {string.Join(' ', args)} in {region} did not finish within 3 minutes.");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command that must succeed and returns its JSON answer (default when it printed nothing).</summary>
    public async Task<JsonElement> JsonAsync(string region, params string[] args)
    {
        var result = await SucceedAsync(region, args);
        return result.Stdout.Length > 0 ? result.Json.Clone() : default;
    }

    /// <summary>Runs a command that must succeed (e.g. with <c>--query X --output text</c>) and returns its trimmed text.</summary>
    public async Task<string> TextAsync(string region, params string[] args) => (await SucceedAsync(region, args)).Stdout.Trim();

    private async Task<Result> SucceedAsync(string region, string[] args)
    {
        var result = await RunAsync(region, args);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', args)} in {region} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }
}
