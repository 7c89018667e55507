using System.Diagnostics;
using System.Text.Json;

namespace KmsDashboard.Sandbox.Tests.CloudTrail;

/// <summary>Runs the preinstalled Python <c>aws</c> CLI against a sandbox; skips (or fails on CI) when it is missing.</summary>
internal sealed class AwsCli(Uri endpoint, string accessKeyId = "AKIAIOSFODNN7EXAMPLE")
{
    public static string? Find()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Append(Path.Combine(home, ".pyenv", "shims"));
        return dirs.Select(d => Path.Combine(d, "aws")).FirstOrDefault(File.Exists);
    }

    /// <summary>The CLI's path; a skip elsewhere, a failure on CI when it is not installed.</summary>
    public static string Require()
    {
        var path = Find();
        if (path is null && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("The aws CLI is required on CI but was not found on PATH or in ~/.pyenv/shims.");
        Skip.If(path is null, "The aws CLI is not installed (looked on PATH and in ~/.pyenv/shims).");
        return path!;
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    public async Task<Result> RunAsync(string region, params string[] args)
    {
        var start = new ProcessStartInfo(Require())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var arg in new[] { "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", region, "--output", "json" }) start.ArgumentList.Add(arg);
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "sandbox-secret";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = "";
        start.Environment["AWS_MAX_ATTEMPTS"] = "10";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
