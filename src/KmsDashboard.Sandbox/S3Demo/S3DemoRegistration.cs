using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.S3Demo;

public static class S3DemoRegistration
{
    /// <summary>The demo buckets (with SeedDemoAccount and SeedDemoBuckets). Register after KMS and S3: resets run in order.</summary>
    public static IServiceCollection AddSandboxS3Demo(this IServiceCollection services)
    {
        services.AddSingleton<S3DemoSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<S3DemoSeeder>());
        services.AddSingleton<ISandboxResettable>(sp => sp.GetRequiredService<S3DemoSeeder>());
        return services;
    }
}
