using KmsDashboard.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Registers the sandbox's CloudTrail (recorder, seeded history, LookupEvents).</summary>
public static class CloudTrailServiceCollectionExtensions
{
    public static IServiceCollection AddSandboxCloudTrail(this IServiceCollection services)
    {
        services.AddSingleton<TrailStore>();
        services.AddSingleton(_ => new CloudTrailRateMeter());
        services.AddSingleton(_ => new TrailKeySource(() => []));
        services.AddSingleton<SeededHistory>();
        services.AddSingleton<CloudTrailRecorder>();
        services.AddHostedService<CloudTrailRecorderStartup>();
        services.AddSingleton<TrailLookup>();
        services.AddSingleton<ISandboxService, CloudTrailService>();
        return services;
    }
}
