using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>CloudTrail clients (one rate limiter for the whole app) and the audit service.</summary>
    public static IServiceCollection AddDashboardAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<AwsClients>();
        services.TryAddSingleton(_ => new CloudTrailRateLimiter());
        services.TryAddSingleton<CloudTrailClients>();
        services.TryAddSingleton<AuditService>();
        return services;
    }
}
