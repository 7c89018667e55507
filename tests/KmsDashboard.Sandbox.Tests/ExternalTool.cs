namespace KmsDashboard.Sandbox.Tests;

/// <summary>
/// Finds an outside program (on PATH or in ~/.pyenv/shims). Missing: the test fails when CI=true and is skipped,
/// saying why, elsewhere.
/// </summary>
public static class ExternalTool
{
    public static string Require(string name)
    {
        var path = Find(name);
        if (path is not null) return path;
        var reason = $"'{name}' is not on PATH nor in ~/.pyenv/shims.";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(reason + " CI must provide it.");
        Skip.If(true, reason);
        return name;
    }

    public static string? Find(string name)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(home, ".pyenv", "shims"));
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
