using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Storage;
using KmsDashboard.Core.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Findings;

public static class FindingsServiceCollectionExtensions
{
    /// <summary>
    /// The findings engine and its store, <c>{Storage:DataDirectory}/findings.db</c>, with the <c>Findings</c> options
    /// (validated at start) and an evaluation after every inventory refresh. Needs the inventory and the action journal;
    /// the bucket catalog, Region health, drill history and trail coverage are used when registered.
    /// </summary>
    public static IServiceCollection AddFindings(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<FindingsOptions>().BindConfiguration(FindingsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDashboardStore<FindingsDbContext>(FindingsDbContext.StoreName, contentRoot);
        services.TryAddSingleton<AwsClients>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new Aws.CloudWatch.CloudWatchClients(sp.GetRequiredService<AwsClients>()));
        services.TryAddSingleton<UsageReader>();
        services.TryAddSingleton(_ => new CloudTrailRateLimiter());
        services.TryAddSingleton<CloudTrailClients>();
        services.AddSingleton<FindingsStore>();
        services.AddSingleton<FindingsService>();
        services.AddHostedService<FindingsRefreshService>();
        return services;
    }
}
