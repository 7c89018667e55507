using System.Net;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace KmsDashboard.Sandbox;

/// <summary>
/// Standalone sandbox: <c>dotnet run --project src/KmsDashboard.Sandbox</c> listens on <see cref="DefaultUrl"/>
/// (loopback only) unless told otherwise (<c>--urls</c>, <c>ASPNETCORE_URLS</c> or Kestrel endpoints), and says so,
/// with a warning, when it is reachable from other machines.
/// </summary>
internal static class SandboxProgram
{
    public const string DefaultUrl = "http://127.0.0.1:4566";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        // appsettings.json says Urls=http://127.0.0.1:4566; --urls or ASPNETCORE_URLS replace it. Without any (the file
        // removed), loopback all the same: ASPNETCORE_HTTP_PORTS, set by the .NET container images, would bind every interface.
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.AddSandbox(options);
        var app = builder.Build();
        app.MapSandbox();
        app.Lifetime.ApplicationStarted.Register(() => ReportBinding(app, options));
        app.Run();
    }

    private static void ReportBinding(WebApplication app, SandboxOptions options)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var exposed = addresses.Where(a => !IsLoopback(a)).ToList();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KmsDashboard.Sandbox");
        if (exposed.Count == 0)
        {
            Console.WriteLine($"Sandbox listening on {string.Join(", ", addresses)} (loopback only: other machines cannot reach it).");
            return;
        }
        var message = $"Sandbox listening on {string.Join(", ", exposed)}: NOT loopback only, so other machines can reach it. It accepts any " +
                      "credentials, so anyone who reaches it can read, use and change its keys" +
                      (options.EnableControlEndpoint ? ", and through /_sandbox move its clock, inject faults and reset it" : "") +
                      ". Bind it to 127.0.0.1 (--urls http://127.0.0.1:4566) unless that is what you want.";
        Console.WriteLine("WARNING: " + message);
        logger.LogWarning("{Message}", message);
    }

    /// <summary>Whether a Kestrel address (http://127.0.0.1:4566, http://[::]:80, http://+:8080, http://localhost:5000) is loopback.</summary>
    internal static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://any", StringComparison.Ordinal).Replace("://*", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            return false;
        if (uri.IsLoopback) return true;   // localhost, 127.x, [::1]
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
