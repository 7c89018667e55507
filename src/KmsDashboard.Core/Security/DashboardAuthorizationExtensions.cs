using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsDashboard.Core.Security;

public static class DashboardAuthorizationExtensions
{
    /// <summary>
    /// Registers the <see cref="DashboardPolicies"/> (each a role requirement on an authenticated user); the destructive
    /// one (<see cref="DashboardPolicies.CanAdminister"/>) also needs a recent sign-in when
    /// <see cref="DashboardAuthorizationOptions.StepUpWithin"/> is set.
    /// </summary>
    public static IServiceCollection AddDashboardAuthorization(this IServiceCollection services, Action<DashboardAuthorizationOptions>? configure = null)
    {
        services.AddOptions<DashboardAuthorizationOptions>();
        if (configure is not null) services.Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, RecentSignInHandler>());
        services.AddAuthorization(options =>
        {
            foreach (var (policy, roles) in DashboardPolicies.Roles)
                options.AddPolicy(policy, p =>
                {
                    p.RequireAuthenticatedUser().RequireRole(roles);
                    if (policy == DashboardPolicies.CanAdminister) p.AddRequirements(new RecentSignInRequirement());
                });
        });
        return services;
    }
}
