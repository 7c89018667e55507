using KmsDashboard.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Journal;

public static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// The action journal in SQLite: <c>{Storage:DataDirectory}/journal.db</c>, the directory relative to
    /// <paramref name="contentRoot"/> unless absolute; the file and its tables are created on first start.
    /// </summary>
    public static IServiceCollection AddActionJournal(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section);
        services.AddDbContextFactory<JournalDbContext>((sp, options) =>
        {
            var directory = Path.GetFullPath(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory, contentRoot);
            Directory.CreateDirectory(directory);
            options.UseSqlite($"Data Source={Path.Combine(directory, ActionJournal.FileName)}");
        });
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
