using KmsDashboard.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Core.Journal;

public static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// The action journal in its store (<see cref="DashboardStoreServiceCollectionExtensions.AddDashboardStore"/>): SQLite
    /// <c>{Storage:DataDirectory}/journal.db</c>, the directory relative to <paramref name="contentRoot"/> unless absolute,
    /// or PostgreSQL; its migrations are applied on first start.
    /// </summary>
    public static IServiceCollection AddActionJournal(this IServiceCollection services, string contentRoot)
    {
        services.AddDashboardStore<JournalDbContext>(JournalDbContext.StoreName, contentRoot);
        services.AddSingleton<ActionJournal>();
        services.AddHostedService<JournalStartup>();
        return services;
    }

    private sealed class JournalStartup(ActionJournal journal) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => journal.EnsureCreatedAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
