using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Storage;

/// <summary>
/// How every store's <see cref="DbContext"/> is configured for the chosen provider: SQLite at
/// <c>{DataDirectory}/{name}.db</c>, or the shared PostgreSQL database. Each store keeps its own migration history
/// (<c>__migrations_{name}</c>) and its migrations for the active provider only (<see cref="ProviderMigrationsAssembly"/>).
/// </summary>
public static class DashboardStore
{
    /// <summary>The migration history table of the store called <paramref name="name"/>.</summary>
    public static string HistoryTable(string name) => $"__migrations_{name}";

    /// <summary>The SQLite file of the store called <paramref name="name"/>.</summary>
    public static string FileName(string name) => $"{name}.db";

    /// <summary>
    /// Points <paramref name="options"/> at the store called <paramref name="name"/> under <paramref name="storage"/>'s
    /// provider; a relative data directory is taken from <paramref name="contentRoot"/>. Throws, saying what is wrong,
    /// when the <c>Storage</c> settings do not hold.
    /// </summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, StorageOptions storage, string name, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var problems = StorageOptionsValidation.Problems(storage).ToList();
        if (problems.Count > 0) throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), problems);
        if (storage.ProviderKind == StorageProvider.Postgres)
            return UsePostgres(options, storage.ConnectionString!, name);
        var directory = Path.GetFullPath(storage.DataDirectory, contentRoot);
        Directory.CreateDirectory(directory);
        return UseSqlite(options, $"Data Source={Path.Combine(directory, FileName(name))}", name);
    }

    /// <summary>The store called <paramref name="name"/> in the SQLite database at <paramref name="connectionString"/>.</summary>
    public static TBuilder UseSqlite<TBuilder>(TBuilder options, string connectionString, string name) where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseSqlite(connectionString, b => b.MigrationsHistoryTable(HistoryTable(name)));
        options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
        return options;
    }

    /// <summary>The store called <paramref name="name"/> in the PostgreSQL database at <paramref name="connectionString"/>.</summary>
    public static TBuilder UsePostgres<TBuilder>(TBuilder options, string connectionString, string name) where TBuilder : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseNpgsql(connectionString, b => b.MigrationsHistoryTable(HistoryTable(name)));
        options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
        // timestamptz takes UTC only: every DateTime the stores hold is UTC, so say so on the way in and out.
        options.ReplaceService<IModelCustomizer, UtcDateTimeModelCustomizer>();
        return options;
    }
}
