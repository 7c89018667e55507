using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Cluster;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace KmsDashboard.Core.Storage.Migrations;

/// <summary>
/// What <c>dotnet ef migrations add</c> builds a store with: the provider is the argument after <c>--</c>
/// (<c>Sqlite</c> or <c>Postgres</c>); no database is opened. See the README's Storage section.
/// </summary>
internal abstract class DesignTimeStoreFactory<TContext>(string name, Func<DbContextOptions<TContext>, TContext> create) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var provider = args.Length > 0 && Enum.TryParse<StorageProvider>(args[0], ignoreCase: true, out var p) ? p
            : throw new ArgumentException("Name the provider after '--': dotnet ef migrations add <Name> --context <Context> ... -- Sqlite|Postgres");
        var options = new DbContextOptionsBuilder<TContext>();
        if (provider == StorageProvider.Postgres) DashboardStore.UsePostgres(options, "Host=localhost;Database=design", name);
        else DashboardStore.UseSqlite(options, "Data Source=design.db", name);
        return create(options.Options);
    }
}

internal sealed class JournalDesignTimeFactory() : DesignTimeStoreFactory<JournalDbContext>(JournalDbContext.StoreName, o => new(o));
internal sealed class RunbookDesignTimeFactory() : DesignTimeStoreFactory<RunbookDbContext>(RunbookDbContext.StoreName, o => new(o));
internal sealed class FindingsDesignTimeFactory() : DesignTimeStoreFactory<FindingsDbContext>(FindingsDbContext.StoreName, o => new(o));
internal sealed class DrillDesignTimeFactory() : DesignTimeStoreFactory<DrillDbContext>(DrillDbContext.StoreName, o => new(o));
internal sealed class SignInDesignTimeFactory() : DesignTimeStoreFactory<SignInDbContext>(SignInDbContext.StoreName, o => new(o));
internal sealed class ApprovalDesignTimeFactory() : DesignTimeStoreFactory<ApprovalDbContext>(ApprovalDbContext.StoreName, o => new(o));
// PostgreSQL only (`-- Postgres`): a cluster needs it. Not through tools/add-migration.sh, which adds both providers.
internal sealed class ClusterDesignTimeFactory() : DesignTimeStoreFactory<ClusterDbContext>(ClusterDbContext.StoreName, o => new(o));
