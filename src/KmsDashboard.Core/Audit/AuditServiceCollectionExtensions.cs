using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Findings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>CloudTrail clients (one rate limiter for the whole app), the audit service and the trail coverage reader.</summary>
    public static IServiceCollection AddDashboardAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<AwsClients>();
        services.TryAddSingleton(_ => new CloudTrailRateLimiter());
        services.TryAddSingleton<CloudTrailClients>();
        services.TryAddSingleton<AuditService>();
        services.TryAddSingleton<ITrailCoverageReader, TrailCoverageReader>();
        return services;
    }
}
