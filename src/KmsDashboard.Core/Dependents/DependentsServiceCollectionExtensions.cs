using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Dependents;

public static class DependentsServiceCollectionExtensions
{
    /// <summary>The bucket catalog, the dependents service and the object scans, with their <c>Dependents</c> options.</summary>
    public static IServiceCollection AddDependents(this IServiceCollection services)
    {
        services.AddOptions<DependentsOptions>().BindConfiguration(DependentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AwsClients>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new CloudTrailRateLimiter());
        services.TryAddSingleton<CloudTrailClients>();
        services.TryAddSingleton<BucketCatalog>();
        services.TryAddSingleton<DependentsService>();
        services.TryAddSingleton<Actions.IKeyDependentsRadius>(sp => sp.GetRequiredService<DependentsService>());
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.TryAddSingleton<ObjectScanStore>();
        services.TryAddSingleton<ObjectScanner>();
        services.TryAddSingleton<ObjectScans>();
        return services;
    }
}
