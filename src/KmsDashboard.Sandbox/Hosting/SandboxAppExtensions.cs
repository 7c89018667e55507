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
        // The accounts are settled first: the management account's id and seed decide how its services start.
        Accounts.SandboxAccounts.Resolve(options);
        services.AddSingleton(options);
        services.AddSingleton<SandboxDispatcher>();
        services.AddSingleton<SandboxRequestCounter>();
        services.AddSingleton<SandboxClock>(_ => new SandboxClock());
        services.AddSingleton<SandboxFaults>();
        services.AddSingleton<SandboxControl>();
        services.AddSingleton<Accounts.StsSessions>();
        // The management account's services; each member account gets the same registrations in a container of its own.
        services.AddSandboxAccountServices();
        // Account-wide services: they answer for the account of the signing key.
        services.AddSingleton<ISandboxService, Sts.StsService>();
        services.AddSingleton<ISandboxService, Organizations.OrganizationsService>();
        // Last: member accounts start after the management account and reset after it.
        services.AddSingleton<Accounts.SandboxAccounts>();
        services.AddHostedService(sp => sp.GetRequiredService<Accounts.SandboxAccounts>());
        services.AddSingleton<ISandboxResettable>(sp => sp.GetRequiredService<Accounts.SandboxAccounts>());
        return services;
    }

    /// <summary>
    /// One account's services (KMS, S3, CloudWatch, CloudTrail, the demo buckets) and its call log; they need the
    /// account's <see cref="SandboxOptions"/> and the shared <see cref="SandboxClock"/>, <see cref="SandboxFaults"/> and STS sessions.
    /// </summary>
    internal static IServiceCollection AddSandboxAccountServices(this IServiceCollection services)
    {
        services.AddSingleton<SandboxCallLog>();
        services.AddSandboxKms();
        services.AddSandboxS3();
        services.AddSandboxCloudWatch();
        // Each service registers itself here: services.AddSingleton<ISandboxService, KmsService>(); ...
        services.AddSandboxCloudTrail();
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
