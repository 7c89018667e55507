using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>True when <c>Storage:Provider</c> is <c>Postgres</c>: instances share one store and form a cluster.</summary>
    public static bool IsClustered(IConfiguration configuration) =>
        string.Equals(configuration["Storage:Provider"]?.Trim(), "Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// On <c>Storage:Provider=Postgres</c>: one inventory refresher for all instances (<see cref="InventoryLeadership"/>),
    /// the snapshot shared through the database, findings evaluated by that same leader only (<see cref="FindingsCluster"/>),
    /// and CloudTrail pacing shared by every instance. Nothing on SQLite.
    /// Call after the features that register the inventory and the CloudTrail limiter.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsClustered(configuration)) return services;
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section)
            .Configure(o => o.ConnectionString = configuration["Storage:ConnectionString"] ?? "")
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ClusterDatabase(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>().Value.ConnectionString,
            sp.GetRequiredService<ILogger<ClusterDatabase>>()));
        services.AddSingleton<InventoryCluster>();
        services.AddSingleton<IInventoryCluster>(sp => sp.GetRequiredService<InventoryCluster>());
        services.AddSingleton<FindingsCluster>();
        services.AddSingleton<Findings.IFindingsCluster>(sp => sp.GetRequiredService<FindingsCluster>());
        services.AddHostedService<InventoryLeadership>();

        services.AddSingleton<ICloudTrailPacing, PostgresCloudTrailPacing>();
        services.RemoveAll<CloudTrailRateLimiter>();
        services.AddSingleton(sp => new CloudTrailRateLimiter(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ICloudTrailPacing>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<CloudTrailRateLimiter>()));
        return services;
    }
}
