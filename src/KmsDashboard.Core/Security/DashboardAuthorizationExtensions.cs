using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Security;

public static class DashboardAuthorizationExtensions
{
    /// <summary>Registers the <see cref="DashboardPolicies"/> (each a role requirement on an authenticated user).</summary>
    public static IServiceCollection AddDashboardAuthorization(this IServiceCollection services)
    {
        services.AddAuthorization(options =>
        {
            foreach (var (policy, roles) in DashboardPolicies.Roles)
                options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        });
        return services;
    }
}
