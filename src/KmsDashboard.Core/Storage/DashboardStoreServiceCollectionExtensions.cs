using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Storage;

public static class DashboardStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{TContext}"/> (and a scoped <typeparamref name="TContext"/>) for the store
    /// called <paramref name="name"/> on the provider <c>Storage:Provider</c> names: SQLite at
    /// <c>{Storage:DataDirectory}/{name}.db</c> (the directory relative to <paramref name="contentRoot"/> unless absolute),
    /// or the PostgreSQL database at <c>Storage:ConnectionString</c>. The <c>Storage</c> settings are checked at start.
    /// The store applies its migrations with <see cref="DashboardStoreSchema.MigrateAsync"/>; its tables must be named
    /// apart from every other store's (they share one PostgreSQL database).
    /// </summary>
    public static IServiceCollection AddDashboardStore<TContext>(this IServiceCollection services, string name, string contentRoot) where TContext : DbContext
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddStorageOptions();
        services.AddDbContextFactory<TContext>((sp, options) =>
            DashboardStore.Configure(options, sp.GetRequiredService<IOptions<StorageOptions>>().Value, name, contentRoot));
        return services;
    }

    /// <summary>The <c>Storage</c> options, validated at start (provider, connection string, data directory).</summary>
    public static IServiceCollection AddStorageOptions(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidation>());
        return services;
    }
}
