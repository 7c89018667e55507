using KmsDashboard.Core.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Runbooks;

/// <summary>The runbooks' rows in SQLite: each change is saved at once, so a crash loses nothing already done.</summary>
public sealed class RunbookStore(IDbContextFactory<RunbookDbContext> contexts, ILogger<RunbookStore> logger)
{
    /// <summary>The store's file in the data directory.</summary>
    public const string FileName = RunbookDbContext.StoreName + ".db";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly SchemaGate _schema = new();

    /// <summary>Applies the store's migrations (first start: creates the file or the tables).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(async ct =>
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await DashboardStoreSchema.MigrateAsync(db, "runbooks", logger, ct);
    }, cancellationToken);

    internal async Task AddAsync(RunbookRecord runbook, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Runbooks.Add(runbook);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal async Task<RunbookRecord?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runbook = await db.Runbooks.AsNoTracking().Include(r => r.Steps).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        runbook?.Steps.Sort((a, b) => a.Index.CompareTo(b.Index));
        return runbook;
    }

    internal async Task<IReadOnlyList<RunbookRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var list = await db.Runbooks.AsNoTracking().Include(r => r.Steps).ToListAsync(cancellationToken);
        foreach (var r in list) r.Steps.Sort((a, b) => a.Index.CompareTo(b.Index));
        return [.. list.OrderByDescending(r => r.UpdatedAt)];
    }

    internal async Task<IReadOnlyList<RunbookCallRecord>> CallsAsync(Guid id, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Calls.AsNoTracking().Where(c => c.RunbookId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Takes (or renews) the lease for <paramref name="user"/> in one conditional UPDATE: it succeeds only when nobody
    /// holds it, the user already does, or the holder's lease expired. Returns the record as it now stands.
    /// </summary>
    internal async Task<(bool Acquired, RunbookRecord? Runbook)> TryLeaseAsync(Guid id, RunbookUser user, DateTimeOffset now, TimeSpan length, bool force, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var at = now.UtcDateTime;
        var expires = (now + length).UtcDateTime;
        var updated = await db.Runbooks
            .Where(r => r.Id == id && (force || r.LeaseHolderId == null || r.LeaseHolderId == user.Id || r.LeaseExpires < at))
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.LeaseSince, r => r.LeaseHolderId == user.Id && r.LeaseExpires >= at ? r.LeaseSince : at)
                .SetProperty(r => r.LeaseHolderId, user.Id)
                .SetProperty(r => r.LeaseHolderName, user.Name)
                .SetProperty(r => r.LeaseExpires, expires), cancellationToken);
        return (updated == 1, await FindAsync(id, cancellationToken));
    }

    internal async Task ReleaseLeaseAsync(Guid id, RunbookUser user, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runbooks.Where(r => r.Id == id && r.LeaseHolderId == user.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.LeaseHolderId, (string?)null).SetProperty(r => r.LeaseHolderName, (string?)null)
            .SetProperty(r => r.LeaseSince, (DateTime?)null).SetProperty(r => r.LeaseExpires, (DateTime?)null), cancellationToken);
    }

    internal async Task SaveStateAsync(Guid id, string state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var at = now.UtcDateTime;
        await db.Runbooks.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, state).SetProperty(r => r.UpdatedAt, at), cancellationToken);
    }

    internal async Task UpdateRunbookAsync(Guid id, RunbookStatus status, int currentStep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var at = now.UtcDateTime;
        await db.Runbooks.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status).SetProperty(r => r.CurrentStep, currentStep).SetProperty(r => r.UpdatedAt, at), cancellationToken);
    }

    internal async Task SaveStepAsync(RunbookStepRecord step, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Steps.Update(step);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal async Task AddStepsAsync(IEnumerable<RunbookStepRecord> steps, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Steps.AddRange(steps);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal async Task AddCallAsync(RunbookCallRecord call, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Calls.Add(call);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal async Task UpdateCallAsync(RunbookCallRecord call, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Calls.Update(call);
        await db.SaveChangesAsync(cancellationToken);
    }
}
