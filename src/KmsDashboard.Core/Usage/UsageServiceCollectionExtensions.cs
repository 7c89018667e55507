using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudWatch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Usage;

public static class UsageServiceCollectionExtensions
{
    /// <summary>CloudWatch clients per Region, the usage reader, and the Usage and Cost services.</summary>
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.TryAddSingleton<AwsClients>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new CloudWatchClients(sp.GetRequiredService<AwsClients>()));
        services.AddSingleton<UsageReader>();
        services.AddSingleton<UsageService>();
        services.AddSingleton<CostService>();
        return services;
    }
}
