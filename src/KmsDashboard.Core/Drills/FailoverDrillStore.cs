using KmsDashboard.Core.Storage;
using System.Text.Json;
using System.Text.Json.Serialization;
using KmsDashboard.Core.Findings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Drills;

/// <summary>Completed drills in SQLite, and the last drill per key set for the findings (check 8).</summary>
public sealed class FailoverDrillStore(IDbContextFactory<DrillDbContext> contexts, ILogger<FailoverDrillStore> logger) : IFailoverDrillHistory
{
    /// <summary>The store's file in the data directory.</summary>
    public const string FileName = DrillDbContext.StoreName + ".db";

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly SchemaGate _schema = new();

    /// <summary>Applies the store's migrations (first start: creates the file or the tables).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(async ct =>
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await DashboardStoreSchema.MigrateAsync(db, "failover_drills", logger, ct);
    }, cancellationToken);

    public async Task SaveAsync(FailoverDrillResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Drills.Add(new DrillRecord
        {
            Id = result.Id, KeyId = result.KeyId, Account = result.Account, Name = result.Name, StartedAt = result.StartedAt.UtcDateTime,
            CompletedAt = result.CompletedAt.UtcDateTime, User = result.User, PrimaryDown = result.PrimaryDown,
            EveryRegionServesAlone = result.EveryRegionServesAlone, Result = JsonSerializer.Serialize(result, Json),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The newest drills, of one key set or of all, newest first; with <paramref name="account"/>, that account's only (rows
    /// stored before accounts, whose account is "", count as <paramref name="legacyAccount"/>'s).
    /// </summary>
    public async Task<IReadOnlyList<FailoverDrillResult>> RecentAsync(string? keyId, int limit, CancellationToken cancellationToken,
        string? account = null, string? legacyAccount = null)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<DrillRecord> rows = db.Drills.AsNoTracking();
        if (!string.IsNullOrEmpty(keyId)) rows = rows.Where(r => r.KeyId == keyId);
        if (!string.IsNullOrEmpty(account))
        {
            var legacy = account == legacyAccount;
            rows = rows.Where(r => r.Account == account || (legacy && r.Account == ""));
        }
        var list = await rows.OrderByDescending(r => r.CompletedAt).Take(Math.Clamp(limit, 1, 1000)).Select(r => r.Result).ToListAsync(cancellationToken);
        return [.. list.Select(r => JsonSerializer.Deserialize<FailoverDrillResult>(r, Json)!)];
    }

    /// <summary>The newest drill of each key set ever drilled.</summary>
    public async Task<IReadOnlyList<FailoverDrillResult>> LatestPerKeySetAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var latest = db.Drills.AsNoTracking().GroupBy(r => new { r.Account, r.KeyId }).Select(g => g.Max(r => r.CompletedAt));
        var rows = await db.Drills.AsNoTracking()
            .Where(r => latest.Contains(r.CompletedAt))
            .OrderByDescending(r => r.CompletedAt).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (r.Account, r.KeyId)).Select(g => JsonSerializer.Deserialize<FailoverDrillResult>(g.First().Result, Json)! with { Account = g.Key.Account })];
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LastDrillsAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Drills.AsNoTracking().GroupBy(r => new { r.Account, r.KeyId })
            .Select(g => new { g.Key.Account, g.Key.KeyId, Last = g.Max(r => r.CompletedAt) }).ToListAsync(cancellationToken);
        // Keyed "account/keyId" with several accounts, the key id alone in the single account and for rows from before accounts.
        return rows.GroupBy(r => new DrillTarget(r.KeyId, r.Account).Scoped, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new DateTimeOffset(DateTime.SpecifyKind(g.Max(r => r.Last), DateTimeKind.Utc)), StringComparer.Ordinal);
    }
}
