using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace KmsDashboard.EndToEnd.Infrastructure;

/// <summary>
/// The real dashboard (Program.cs, unchanged) on Kestrel at a free loopback port, in Sandbox mode with a temporary
/// data directory. Extra settings override the defaults (use them to make start-up fail, change Regions...).
/// </summary>
public sealed class DashboardAppFactory(IReadOnlyDictionary<string, string?>? settings = null, string environment = "Development") : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("kmsdashboard-e2e-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        // UseSetting reaches the configuration before Program.cs builds the host (AddSandboxIfEnabledAsync reads it).
        builder.UseSetting("Backend:Mode", "Sandbox");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("RegionHealth:ProbeInterval", "00:00:05");
        builder.UseSetting("RegionHealth:ProbeTimeout", "00:00:10");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
    }

    /// <summary>Starts Kestrel on 127.0.0.1 at a free port and returns the app's base URL.</summary>
    public Uri Start()
    {
        UseKestrel(0);
        StartServer();
        return ClientOptions.BaseAddress;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { /* a file still held open: the temp folder is cleaned by the OS */ }
    }
}
