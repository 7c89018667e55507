using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Core.Tests.Aws;

internal static class ServiceProviderExtensions
{
    public static T GetService<T>(this IServiceProvider services) where T : notnull => services.GetRequiredService<T>();
}
