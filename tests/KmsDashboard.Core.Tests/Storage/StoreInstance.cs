using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Drills;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;
using KmsDashboard.Core.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Tests.Storage;

/// <summary>
/// One dashboard instance's stores, registered the way the app registers them (<see cref="DashboardStoreServiceCollectionExtensions.AddDashboardStore"/>),
/// on PostgreSQL or SQLite; two of these on one database are two instances.
/// </summary>
public sealed class StoreInstance : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public StoreInstance(string dataDirectory, string? postgres)
    {
        var settings = new Dictionary<string, string?> { ["Storage:DataDirectory"] = dataDirectory };
        if (postgres is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = postgres;
        }
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddDashboardStore<JournalDbContext>(JournalDbContext.StoreName, dataDirectory);
        services.AddDashboardStore<RunbookDbContext>(RunbookDbContext.StoreName, dataDirectory);
        services.AddDashboardStore<FindingsDbContext>(FindingsDbContext.StoreName, dataDirectory);
        services.AddDashboardStore<DrillDbContext>(DrillDbContext.StoreName, dataDirectory);
        services.AddDashboardStore<ApprovalDbContext>(ApprovalDbContext.StoreName, dataDirectory);
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<ActionJournal>();
        services.AddSingleton<RunbookStore>();
        services.AddSingleton<FindingsStore>();
        services.AddSingleton<FailoverDrillStore>();
        services.AddDataProtection().SetApplicationName("KmsDashboard");
        services.AddSignInStore(dataDirectory);
        _services = services.BuildServiceProvider();
    }

    public ActionJournal Journal => _services.GetRequiredService<ActionJournal>();
    public RunbookStore Runbooks => _services.GetRequiredService<RunbookStore>();
    public FindingsStore Findings => _services.GetRequiredService<FindingsStore>();
    public FailoverDrillStore Drills => _services.GetRequiredService<FailoverDrillStore>();
    public ApprovalStore Approvals => _services.GetRequiredService<ApprovalStore>();
    public SignInSessionStore Sessions => _services.GetRequiredService<SignInSessionStore>();
    public IDataProtector Protector => _services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
    public IDbContextFactory<TContext> Contexts<TContext>() where TContext : DbContext => _services.GetRequiredService<IDbContextFactory<TContext>>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
