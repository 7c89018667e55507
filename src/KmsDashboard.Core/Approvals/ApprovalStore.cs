using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Approvals;

/// <summary>
/// Approval requests in their store (SQLite or the shared PostgreSQL database). Every change of status is a compare-and-set on the row (from Pending only), so two
/// Admins approving at once, or an approval racing the expiry, cannot both win.
/// </summary>
public sealed class ApprovalStore(IDbContextFactory<ApprovalDbContext> contexts, ILogger<ApprovalStore> logger)
{
    /// <summary>The store's file in the data directory.</summary>
    public const string FileName = ApprovalDbContext.StoreName + ".db";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly KmsDashboard.Core.Storage.SchemaGate _schema = new();

    /// <summary>Applies the store's migrations (first start: creates the file or the tables).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(async ct =>
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await KmsDashboard.Core.Storage.DashboardStoreSchema.MigrateAsync(db, "approval_requests", logger, ct);
    }, cancellationToken);

    internal async Task AddAsync(ApprovalRecord record, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Requests.Add(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal async Task<ApprovalRecord?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>The pending request for the same target (key action on a key, or a runbook's step), if any.</summary>
    internal async Task<ApprovalRecord?> PendingForAsync(string action, string keyId, Guid? runbookId, int? stepIndex, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking()
            .Where(r => r.Status == ApprovalStatus.Pending && r.Action == action && r.KeyId == keyId && r.RunbookId == runbookId && r.StepIndex == stepIndex)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Requests in the given statuses (all when none), newest first.</summary>
    internal async Task<IReadOnlyList<ApprovalRecord>> ListAsync(IReadOnlyCollection<ApprovalStatus>? statuses, int limit, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<ApprovalRecord> rows = db.Requests.AsNoTracking();
        if (statuses is { Count: > 0 }) rows = rows.Where(r => statuses.Contains(r.Status));
        return await rows.OrderByDescending(r => r.RequestedAt).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
    }

    internal async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Requests.CountAsync(r => r.Status == ApprovalStatus.Pending, cancellationToken);
    }

    /// <summary>
    /// Moves a request from Pending to <paramref name="to"/>, recording who decided, when and why; false when it was no
    /// longer pending (someone else decided first) or, unless expiring it, when it expired at <paramref name="now"/>.
    /// </summary>
    internal async Task<bool> DecideAsync(Guid id, ApprovalStatus to, string? byId, string? byName, DateTime now, string? reason, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = db.Requests.Where(r => r.Id == id && r.Status == ApprovalStatus.Pending);
        rows = to == ApprovalStatus.Expired ? rows.Where(r => r.ExpiresAt <= now) : rows.Where(r => r.ExpiresAt > now);
        var changed = await rows.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, to)
            .SetProperty(r => r.DecidedById, byId)
            .SetProperty(r => r.DecidedByName, byName)
            .SetProperty(r => r.DecidedAt, now)
            .SetProperty(r => r.Reason, reason), cancellationToken);
        return changed == 1;
    }

    /// <summary>Records how the approved run went.</summary>
    internal async Task CompleteAsync(Guid id, string outcome, string summary, long? journalEntryId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Requests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, ApprovalStatus.Executed)
            .SetProperty(r => r.Outcome, outcome)
            .SetProperty(r => r.OutcomeSummary, summary)
            .SetProperty(r => r.JournalEntryId, journalEntryId), cancellationToken);
    }

    /// <summary>Pending requests whose time is up at <paramref name="now"/>.</summary>
    internal async Task<IReadOnlyList<ApprovalRecord>> DueAsync(DateTime now, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Requests.AsNoTracking().Where(r => r.Status == ApprovalStatus.Pending && r.ExpiresAt <= now).ToListAsync(cancellationToken);
    }
}
