using KmsDashboard.Sandbox.CloudTrail;
using KmsDashboard.Sandbox.CloudWatch;
using KmsDashboard.Sandbox.Kms;
using KmsDashboard.Sandbox.S3;
using KmsDashboard.Sandbox.S3Demo;
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
        services.AddSandboxS3();
        services.AddSandboxCloudWatch();
        // Each service registers itself here: services.AddSingleton<ISandboxService, KmsService>(); ...
        services.AddSandboxCloudTrail();
        services.AddSingleton<ISandboxService, Sts.StsService>();
        // After KMS, S3 and CloudTrail: the demo objects' KMS calls are recorded, and a reset re-seeds after theirs.
        services.AddSandboxS3Demo();
        return services;
    }

    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_sandbox/health", () => "ok");
        if (app.ServiceProvider.GetRequiredService<SandboxOptions>().EnableControlEndpoint) app.MapSandboxControl();
        // "{*path}", not the default "{*path:nonfile}": S3 object keys such as dir/report.csv look like files.
        app.MapFallback("{*path}", ctx => ctx.RequestServices.GetRequiredService<SandboxDispatcher>().DispatchAsync(ctx));
        return app;
    }
}
