using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Aws.CloudTrail;
using KmsDashboard.Core.Aws.CloudWatch;
using KmsDashboard.Core.Storage;
using KmsDashboard.Core.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace KmsDashboard.Core.Runbooks;

public static class RunbookServiceCollectionExtensions
{
    /// <summary>
    /// The runbook engine and its store, <c>{Storage:DataDirectory}/runbooks.db</c> (created at start), with the manual
    /// rotation and retire definitions. Needs the key actions (journal, Safety), the inventory and the dashboard policies.
    /// </summary>
    public static IServiceCollection AddRunbooks(this IServiceCollection services, string contentRoot)
    {
        services.AddOptions<RunbookOptions>().BindConfiguration(RunbookOptions.Section);
        services.AddDashboardStore<RunbookDbContext>(RunbookDbContext.StoreName, contentRoot);
        services.TryAddSingleton<AwsClients>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new CloudWatchClients(sp.GetRequiredService<AwsClients>()));
        services.TryAddSingleton<UsageReader>();
        services.TryAddSingleton(_ => new CloudTrailRateLimiter());
        services.TryAddSingleton<CloudTrailClients>();
        // The re-encrypt step finds dependent buckets through the dependents model's catalog.
        services.AddOptions<Dependents.DependentsOptions>().BindConfiguration(Dependents.DependentsOptions.Section);
        services.TryAddSingleton<Dependents.BucketCatalog>();
        services.TryAddSingleton<Aws.Accounts.AwsAccounts>();
        services.TryAddSingleton<RunbookAccounts>();
        services.AddSingleton<RunbookStore>();
        services.AddSingleton<RunbookDefinition, ManualRotationDefinition>();
        services.AddSingleton<RunbookDefinition, RetireDefinition>();
        services.AddSingleton<RunbookService>();
        services.AddHostedService<RunbookStartup>();
        return services;
    }

    private sealed class RunbookStartup(RunbookStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureCreatedAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
