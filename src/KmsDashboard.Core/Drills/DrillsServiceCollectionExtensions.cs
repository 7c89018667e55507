using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Core.Drills;

public static class DrillsServiceCollectionExtensions
{
    /// <summary>
    /// Failover drills and their store, <c>{Storage:DataDirectory}/drills.db</c> (created at start), also registered as
    /// <see cref="IFailoverDrillHistory"/>. Needs the inventory, the action journal and the dashboard policies.
    /// </summary>
    public static IServiceCollection AddFailoverDrills(this IServiceCollection services, string contentRoot)
    {
        services.AddDashboardStore<DrillDbContext>(DrillDbContext.StoreName, contentRoot);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FailoverDrillStore>();
        services.AddSingleton<IFailoverDrillHistory>(sp => sp.GetRequiredService<FailoverDrillStore>());
        services.AddSingleton<FailoverDrillService>();
        services.AddHostedService<DrillStoreStartup>();
        return services;
    }

    private sealed class DrillStoreStartup(FailoverDrillStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureCreatedAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
