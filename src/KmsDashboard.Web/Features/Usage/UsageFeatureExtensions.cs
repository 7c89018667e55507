using KmsDashboard.Core.Usage;
using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Features.Usage;

public static class UsageFeatureExtensions
{
    /// <summary>The usage and cost services and the Usage tab of the key detail page.</summary>
    public static IServiceCollection AddUsageFeature(this IServiceCollection services)
    {
        services.AddUsage();
        services.AddKeyDetailTab<KeyUsagePanel>("Usage", order: 20);
        return services;
    }
}
