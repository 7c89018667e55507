using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.CloudWatch;

/// <summary>Registers the sandbox's CloudWatch: metrics from the call log and the demo traffic, served as <c>monitoring</c>.</summary>
public static class CloudWatchSandboxRegistration
{
    public static IServiceCollection AddSandboxCloudWatch(this IServiceCollection services)
    {
        services.AddSingleton<CloudWatchState>();
        services.AddHostedService(sp => sp.GetRequiredService<CloudWatchState>());
        services.AddSingleton<ISandboxResettable>(sp => sp.GetRequiredService<CloudWatchState>());
        services.AddSingleton<ISandboxService, CloudWatchService>();
        return services;
    }
}
