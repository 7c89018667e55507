using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.CloudWatch;
using KmsDashboard.Sandbox.Kms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>Registers and maps the sandbox; used by <see cref="SandboxServer"/> and the standalone Program alike.</summary>
public static class SandboxAppExtensions
{
    public static IServiceCollection AddSandbox(this IServiceCollection services, SandboxOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<SandboxDispatcher>();
        services.AddSingleton<SandboxClock>(_ => new SandboxClock());
        services.AddSingleton<SandboxCallLog>();
        services.AddSingleton<SandboxFaults>();
        services.AddSingleton<SandboxControl>();
        services.AddSandboxKms();
        services.AddSandboxCloudWatch();
        // Each service registers itself here: services.AddSingleton<ISandboxService, KmsService>(); ...
        services.AddSandboxCloudTrail();
        services.AddSingleton<ISandboxService, Sts.StsService>();
        return services;
    }

    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_sandbox/health", () => "ok");
        if (app.ServiceProvider.GetRequiredService<SandboxOptions>().EnableControlEndpoint) app.MapSandboxControl();
        app.MapFallback(ctx => ctx.RequestServices.GetRequiredService<SandboxDispatcher>().DispatchAsync(ctx));
        return app;
    }
}
