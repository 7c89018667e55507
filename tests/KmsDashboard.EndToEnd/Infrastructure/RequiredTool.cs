namespace KmsDashboard.EndToEnd.Infrastructure;

/// <summary>
/// Finds an outside program a test needs. PROTOCOL: when it is missing, the test FAILS under CI=true
/// and is SKIPPED elsewhere, saying why.
/// </summary>
public static class RequiredTool
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> on PATH or in ~/.pyenv/shims, or null.</summary>
    public static string? Find(string name, params string[] fixedLocations)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(home, ".pyenv", "shims"));
        return fixedLocations.Concat(directories.Select(d => Path.Combine(d, name))).FirstOrDefault(File.Exists);
    }

    /// <summary>Skips (or, in CI, fails) the calling test when <paramref name="path"/> is null.</summary>
    public static string Require(string? path, string name, string why)
    {
        if (path is not null) return path;
        var message = $"{name} is not installed ({why}); install it (see .ci/run) to run this test.";
        if (IsCi) throw new InvalidOperationException("CI=true: " + message);
        Skip.If(true, message);
        return "";
    }
}
