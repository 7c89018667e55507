using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Sandbox.Kms;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Sandbox.CloudTrail;

/// <summary>Registers the sandbox's CloudTrail (recorder, seeded history, LookupEvents, the account's trails).</summary>
public static class CloudTrailServiceCollectionExtensions
{
    public static IServiceCollection AddSandboxCloudTrail(this IServiceCollection services)
    {
        services.AddSingleton<TrailStore>();
        services.AddSingleton(_ => new CloudTrailRateMeter());
        services.AddSingleton(sp =>
        {
            var kms = sp.GetService<KmsSandboxState>();
            return new TrailKeySource(() => kms is null ? [] : [.. kms.ListKeys().Select(k => new TrailKey(
                k.Region, k.KeyId, k.Arn, k.KeyState, k.MultiRegionKeyType, k.Aliases, k.CreationDate, k.AwsManaged))]);
        });
        services.AddSingleton<SeededHistory>();
        services.AddSingleton<CloudTrailRecorder>();
        services.AddHostedService<CloudTrailRecorderStartup>();
        services.AddSingleton<TrailLookup>();
        services.AddSingleton<TrailCatalog>();
        services.AddSingleton<TrailApi>();
        services.AddSingleton<ISandboxService, CloudTrailService>();
        services.AddSingleton<ISandboxResettable, CloudTrailReset>();
        return services;
    }
}
