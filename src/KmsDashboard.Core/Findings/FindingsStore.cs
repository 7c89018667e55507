using KmsDashboard.Core.Storage;
using System.Text.Json;
using KmsDashboard.Core.Actions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Findings;

/// <summary>
/// The findings' rows in SQLite: each evaluation updates first/last seen, marks what it no longer sees as fixed (or,
/// when its Region or source could not be read, as stale), and adds a row of totals for the trend.
/// </summary>
public sealed class FindingsStore(IDbContextFactory<FindingsDbContext> contexts, ILogger<FindingsStore> logger)
{
    /// <summary>The store's file in the data directory.</summary>
    public const string FileName = FindingsDbContext.StoreName + ".db";

    private readonly SchemaGate _schema = new();

    /// <summary>Applies the store's migrations (first start: creates the file or the tables).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(async ct =>
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await DashboardStoreSchema.MigrateAsync(db, "findings", logger, ct);
    }, cancellationToken);

    /// <summary>
    /// Records an evaluation. <paramref name="staleReason"/> says, for a finding seen now or a stored one not seen now,
    /// (key id, Region, account) why its data is not fresh (null: fresh); a stored finding not seen now with fresh data is fixed.
    /// </summary>
    internal async Task ApplyAsync(FindingsEvaluation evaluation, Func<string, string?, string, string?> staleReason, Func<IReadOnlyList<FindingRecord>, EvaluationRecord> totals,
        TimeSpan history, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var at = evaluation.At.UtcDateTime;
        var existing = await db.Findings.Where(f => f.FixedAt == null || f.FixedAt > at - history).ToDictionaryAsync(f => f.Id, StringComparer.Ordinal, cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in evaluation.Findings)
        {
            if (!seen.Add(finding.Id)) continue;
            if (!existing.TryGetValue(finding.Id, out var row))
            {
                row = new FindingRecord { Id = finding.Id, FirstSeen = at };
                db.Findings.Add(row);
                existing[finding.Id] = row;
            }
            else if (row.FixedAt is not null)
            {
                // Back after being fixed: a new occurrence.
                row.FixedAt = null;
                row.FirstSeen = at;
            }
            row.CheckId = finding.Check.Id;
            row.Severity = finding.Severity.ToString();
            row.KeyId = finding.KeyId;
            row.KeyName = finding.KeyName;
            row.Region = finding.Region;
            row.Account = finding.Account;
            row.Subject = finding.Subject;
            row.Evidence = JsonSerializer.Serialize(finding.Evidence);
            row.FixAction = finding.Fix?.Action?.ToString();
            row.FixRegion = finding.Fix?.Region;
            row.FixLink = finding.Fix?.Link;
            row.FixLabel = finding.Fix?.Label;
            row.MonthlySaving = finding.MonthlySaving;
            row.LastSeen = at;
            row.StaleReason = staleReason(finding.KeyId, finding.Region, finding.Account);
            row.Stale = row.StaleReason is not null;
        }
        foreach (var row in existing.Values.Where(r => r.FixedAt is null && !seen.Contains(r.Id)))
        {
            var check = FindingChecks.Find(row.CheckId);
            var unknown = check is not null && evaluation.IsUnknown(check, row.Region)
                ? evaluation.NotEvaluated.First(n => (n.CheckId == check.Id || n.CheckId == check.Group) && (n.Region is null || row.Region is null || n.Region == row.Region)).Text
                : null;
            var reason = unknown ?? staleReason(row.KeyId, row.Region, row.Account);
            if (reason is not null)
            {
                row.Stale = true;
                row.StaleReason = reason;
            }
            else
            {
                row.FixedAt = at;
                row.Stale = false;
                row.StaleReason = null;
            }
        }
        var record = totals([.. existing.Values]);
        record.At = at;
        record.DurationMs = evaluation.Duration.TotalMilliseconds;
        record.Notes = evaluation.NotEvaluated.Count == 0 ? null : JsonSerializer.Serialize(evaluation.NotEvaluated);
        db.Evaluations.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await db.Findings.Where(f => f.FixedAt != null && f.FixedAt < at - history).ExecuteDeleteAsync(cancellationToken);
        await db.Evaluations.Where(e => e.At < at - history).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Open findings and those fixed within <paramref name="fixedWithin"/>.</summary>
    public async Task<IReadOnlyList<FindingRecord>> ListAsync(DateTimeOffset now, TimeSpan fixedWithin, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var since = (now - fixedWithin).UtcDateTime;
        return await db.Findings.AsNoTracking().Where(f => f.FixedAt == null || f.FixedAt >= since).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<EvaluationRecord>> EvaluationsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var from = since.UtcDateTime;
        // The trend's totals only: the notes are the latest evaluation's business (LatestEvaluationAsync).
        return await db.Evaluations.AsNoTracking().Where(e => e.At >= from).OrderBy(e => e.At)
            .Select(e => new EvaluationRecord
            {
                Id = e.Id, At = e.At, Critical = e.Critical, High = e.High, Medium = e.Medium, Low = e.Low, Info = e.Info, Stale = e.Stale,
                Suppressed = e.Suppressed, EstateScore = e.EstateScore, DurationMs = e.DurationMs,
            }).ToListAsync(cancellationToken);
    }

    /// <summary>The latest evaluation, with its notes; null before the first.</summary>
    public async Task<EvaluationRecord?> LatestEvaluationAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Evaluations.AsNoTracking().OrderByDescending(e => e.At).ThenByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Every suppression ever made (active, expired and lifted), newest first.</summary>
    public async Task<IReadOnlyList<SuppressionRecord>> SuppressionsAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Suppressions.AsNoTracking().OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToListAsync(cancellationToken);
    }

    internal async Task<SuppressionRecord> AddSuppressionAsync(SuppressionRecord suppression, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Suppressions.Add(suppression);
        await db.SaveChangesAsync(cancellationToken);
        return suppression;
    }

    internal async Task<SuppressionRecord?> LiftSuppressionAsync(long id, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Suppressions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (row is null || row.LiftedAt is not null) return null;
        row.LiftedAt = now.UtcDateTime;
        row.LiftedBy = user;
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    internal static FindingFix? FixOf(FindingRecord r) =>
        r.FixLabel is null ? null : new FindingFix(r.FixAction is null ? null : KeyActionCatalog.BuiltIn.Find(r.FixAction), r.FixRegion, r.FixLink, r.FixLabel);
}
