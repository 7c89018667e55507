using KmsDashboard.Core.Storage;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Security;

public static class SignInStoreServiceCollectionExtensions
{
    /// <summary>The folder under <c>Storage:DataDirectory</c> that holds the Data Protection keys with SQLite.</summary>
    public const string KeysFolder = "keys";

    /// <summary>
    /// The sign-in store (<see cref="SignInSessionStore"/>, migrated at start) and where Data Protection keeps its key
    /// ring: with <c>Storage:Provider=Postgres</c> in the shared database (every instance reads every instance's
    /// cookies), otherwise as files in <c>{Storage:DataDirectory}/keys</c>. Call after <c>AddDataProtection()</c>.
    /// </summary>
    public static IServiceCollection AddSignInStore(this IServiceCollection services, string contentRoot)
    {
        services.AddDashboardStore<SignInDbContext>(SignInDbContext.StoreName, contentRoot);
        services.AddSingleton<SignInSessionStore>();
        services.AddHostedService<SignInStoreStartup>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<StorageOptions>, ILoggerFactory, IServiceProvider>((o, storage, loggers, provider) =>
                o.XmlRepository = storage.Value.ProviderKind == StorageProvider.Postgres
                    ? new MigratedXmlRepository(new EntityFrameworkCoreXmlRepository<SignInDbContext>(provider, loggers), provider.GetRequiredService<SignInSessionStore>())
                    : new FileSystemXmlRepository(Directory.CreateDirectory(Path.Combine(Path.GetFullPath(storage.Value.DataDirectory, contentRoot), KeysFolder)), loggers));
        return services;
    }

    private sealed class SignInStoreStartup(SignInSessionStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureCreatedAsync(cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
