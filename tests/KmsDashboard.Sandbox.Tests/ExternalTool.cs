namespace KmsDashboard.Sandbox.Tests;

/// <summary>
/// Finds an outside program (on PATH or in ~/.pyenv/shims). Missing: the test fails when CI=true and is skipped,
/// saying why, elsewhere.
/// </summary>
public static class ExternalTool
{
    public static string Require(string name)
    {
        var path = FindResolved(name);
        if (path is not null) return path;
        var reason = $"'{name}' is not on PATH nor in ~/.pyenv/shims.";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(reason + " CI must provide it.");
        Skip.If(true, reason);
        return name;
    }

    /// <summary>The program itself rather than a pyenv shim (a shim costs a second of start-up per call).</summary>
    public static string? FindResolved(string name)
    {
        var path = Find(name);
        if (path is null || !path.Contains("/.pyenv/shims/", StringComparison.Ordinal)) return path;
        try
        {
            using var pyenv = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Path.Combine(Path.GetDirectoryName(path)!, "..", "bin", "pyenv"), ["which", name])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (pyenv is null) return path;
            var resolved = pyenv.StandardOutput.ReadToEnd().Trim();
            pyenv.WaitForExit();
            return pyenv.ExitCode == 0 && File.Exists(resolved) ? resolved : path;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return path;
        }
    }

    public static string? Find(string name)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(home, ".pyenv", "shims"));
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
