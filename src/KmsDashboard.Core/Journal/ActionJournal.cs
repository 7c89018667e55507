using KmsDashboard.Core.Storage;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KmsDashboard.Core.Journal;

/// <summary>
/// The action journal: every attempted key action with its outcome per Region, kept in its store (SQLite or PostgreSQL). Entries are opened
/// before the first AWS call, updated call by call and closed at the end; each carries the hash of the one before it
/// (<see cref="JournalChain"/>), so an edited or removed entry shows.
/// </summary>
public sealed class ActionJournal(IDbContextFactory<JournalDbContext> contexts, ILogger<ActionJournal> logger) : IAsyncDisposable
{
    /// <summary>The journal's file in the data directory.</summary>
    public const string FileName = JournalDbContext.StoreName + ".db";

    /// <summary>An entry whose calls are being sent (or whose process died while sending them).</summary>
    public const string InProgress = "InProgress";
    /// <summary>A call not sent yet.</summary>
    public const string Pending = "Pending";
    /// <summary>A call sent and not answered yet.</summary>
    public const string Sending = "Sending";

    /// <summary>Rows read per query while exporting.</summary>
    public const int ExportPageSize = 500;
    /// <summary>Rows an export holds at most unless told otherwise; the footer says when it was cut.</summary>
    public const int DefaultExportLimit = 100_000;

    private readonly SchemaGate _schema = new();
    // Entries this process opened and has not closed: the others still InProgress were left by a process that died.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, byte> _openHere = new();
    // Appends read the last hash and insert after it: one at a time, or two entries would claim the same predecessor.
    // Within a process this semaphore; across instances sharing PostgreSQL, a transaction-scoped advisory lock.
    private readonly SemaphoreSlim _append = new(1, 1);

    /// <summary>The PostgreSQL advisory lock key every instance takes to extend the chain ("KMSDJRNL").</summary>
    public const long ChainLockKey = 0x4B4D_5344_4A52_4E4C;

    /// <summary>The class of the PostgreSQL advisory locks by which instances say they are alive ("KMSI").</summary>
    public const int InstanceLockClass = 0x4B4D_5349;

    /// <summary>This process in the journal: the <see cref="JournalEntry.Owner"/> of the entries it opens.</summary>
    public string Instance { get; } = Guid.NewGuid().ToString("N");

    // On PostgreSQL, a connection held open for the process's life with a session advisory lock on its instance: while
    // the lock is held, other instances leave this one's InProgress entries alone (they are not interrupted).
    private NpgsqlConnection? _alive;
    private readonly SemaphoreSlim _aliveGate = new(1, 1);

    /// <summary>
    /// Applies the journal's migrations (first start: creates the file or the tables); a file an older version created
    /// without migrations gets the columns added since and keeps opening.
    /// </summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(async ct =>
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await DashboardStoreSchema.MigrateAsync(db, "journal_entries", logger, ct, (d, c) => JournalDbContext.UpgradeAsync(d, logger, c));
    }, cancellationToken);

    /// <summary>Appends an entry (with its calls) at the end of the chain; throws when it cannot be written.</summary>
    public async Task<long> AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await _append.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await HoldInstanceLockAsync(db, cancellationToken);
            entry.Owner = Instance;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (db.Database.IsNpgsql())
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [ChainLockKey], cancellationToken);
            // PostgreSQL keeps microseconds: hash the time as it will be read back.
            entry.At = new DateTime(entry.At.Ticks - entry.At.Ticks % 10, entry.At.Kind);
            var previous = await db.Entries.AsNoTracking().Where(e => e.Hash != "").OrderByDescending(e => e.Id)
                .Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken) ?? "";
            entry.PreviousHash = previous;
            entry.Hash = JournalChain.OpeningHash(entry);
            entry.Seal = JournalChain.Seal(entry);
            db.Entries.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (entry.Outcome == InProgress) _openHere[entry.Id] = 0;
        }
        finally
        {
            _append.Release();
        }
        logger.LogInformation("Journaled {Action} of {KeyId} in {Region} by {User}: {Outcome}", entry.Action, entry.KeyId, entry.Region, entry.User, entry.Outcome);
        return entry.Id;
    }

    /// <summary>Changes an entry (its outcome, summary, calls) and renews its seal; throws when it cannot be written.</summary>
    public async Task UpdateAsync(long id, Action<JournalEntry> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entry = await db.Entries.Include(e => e.Calls).SingleAsync(e => e.Id == id, cancellationToken);
        change(entry);
        if (entry.Hash.Length > 0) entry.Seal = JournalChain.Seal(entry);
        await db.SaveChangesAsync(cancellationToken);
        if (entry.Outcome != InProgress) _openHere.TryRemove(id, out _);
    }

    /// <summary>
    /// Completes an entry appended before its first AWS call (multi-step work): sets its outcome and summary and adds
    /// the calls made.
    /// </summary>
    public async Task CompleteAsync(long id, string outcome, string summary, IEnumerable<JournalCall> calls, CancellationToken cancellationToken)
    {
        string? action = null, user = null;
        await UpdateAsync(id, entry =>
        {
            entry.Outcome = outcome;
            entry.Summary = summary;
            foreach (var call in calls)
            {
                call.JournalEntryId = id;
                entry.Calls.Add(call);
            }
            (action, user) = (entry.Action, entry.User);
        }, cancellationToken);
        logger.LogInformation("Journal entry {Id} ({Action} by {User}) completed: {Outcome}", id, action, user, outcome);
    }

    /// <summary>One entry with its calls, or null.</summary>
    public async Task<JournalEntry?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entry = await db.Entries.AsNoTracking().Include(e => e.Calls).SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        entry?.Calls.Sort((a, b) => a.Step.CompareTo(b.Step));
        return entry;
    }

    /// <summary>
    /// Entries still marked <see cref="InProgress"/> that this process did not open and whose instance is gone (their
    /// process stopped mid-way), oldest first. On PostgreSQL an instance still holding its lock is at work, not gone.
    /// </summary>
    public async Task<IReadOnlyList<JournalEntry>> InterruptedAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var list = (await db.Entries.AsNoTracking().Include(e => e.Calls).Where(e => e.Outcome == InProgress).OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .Where(e => !_openHere.ContainsKey(e.Id)).ToList();
        if (db.Database.IsNpgsql())
        {
            var alive = await LiveInstancesAsync(db, list.Select(e => e.Owner).Where(o => o.Length > 0 && o != Instance).Distinct(StringComparer.Ordinal), cancellationToken);
            list = [.. list.Where(e => !alive.Contains(e.Owner))];
        }
        foreach (var entry in list) entry.Calls.Sort((a, b) => a.Step.CompareTo(b.Step));
        return list;
    }

    /// <summary>Entries matching the query, newest first, with their calls.</summary>
    public async Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var list = await Filter(db, query).OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(Math.Clamp(query.Limit, 1, 10_000)).ToListAsync(cancellationToken);
        foreach (var entry in list) entry.Calls.Sort((a, b) => a.Step.CompareTo(b.Step));
        return list;
    }

    /// <summary>Every matching entry, newest first, read a page at a time (keyset paging on the id), up to <paramref name="limit"/>.</summary>
    public async IAsyncEnumerable<JournalEntry> StreamAsync(JournalQuery query, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var last = long.MaxValue;
        var sent = 0;
        while (sent < limit)
        {
            List<JournalEntry> page;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var before = last;
                page = await Filter(db, query).Where(e => e.Id < before).OrderByDescending(e => e.Id)
                    .Take(Math.Min(ExportPageSize, limit - sent)).ToListAsync(cancellationToken);
            }
            foreach (var entry in page)
            {
                entry.Calls.Sort((a, b) => a.Step.CompareTo(b.Step));
                yield return entry;
            }
            sent += page.Count;
            if (page.Count == 0) yield break;
            last = page[^1].Id;
        }
    }

    /// <summary>How many entries match the query (to say whether an export was cut).</summary>
    public async Task<int> CountAsync(JournalQuery query, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Filter(db, query).CountAsync(cancellationToken);
    }

    /// <summary>Walks the whole journal in order and checks every link and seal of the chain.</summary>
    public async Task<JournalChainReport> VerifyAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        var check = new JournalChain.Walk();
        var last = 0L;
        while (true)
        {
            List<JournalEntry> page;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                var after = last;
                page = await db.Entries.AsNoTracking().Include(e => e.Calls).Where(e => e.Id > after).OrderBy(e => e.Id)
                    .Take(ExportPageSize).ToListAsync(cancellationToken);
            }
            if (page.Count == 0) break;
            foreach (var entry in page) check.Add(entry);
            last = page[^1].Id;
        }
        return check.Report();
    }

    /// <summary>
    /// Writes the matching entries as CSV, newest first, one row per entry with its calls, request ids and hashes,
    /// page by page; the last row says how many were written, whether the export was cut at <paramref name="limit"/>,
    /// and whether the journal's chain holds.
    /// </summary>
    public async Task WriteCsvAsync(JournalQuery query, TextWriter writer, CancellationToken cancellationToken, int limit = DefaultExportLimit)
    {
        ArgumentNullException.ThrowIfNull(writer);
        limit = Math.Max(1, limit);
        await writer.WriteAsync(Export.CsvExportWriter.Row(["Id", "AtUtc", "User", "UserId", "Roles", "Action", "KeyId", "Region", "Outcome", "Summary",
            "Calls", "RequestIds", "Inputs", "Plan", "PreviousHash", "Hash", "Seal"]));
        var written = 0;
        var buffer = new StringBuilder();
        await foreach (var e in StreamAsync(query, limit, cancellationToken))
        {
            buffer.Append(Export.CsvExportWriter.Row(
            [
                e.Id.ToString(CultureInfo.InvariantCulture),
                e.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                e.User, e.UserId, e.Roles, e.Action, e.KeyId, e.Region, e.Outcome, e.Summary,
                string.Join("; ", e.Calls.Select(c => $"{c.Region} {c.Operation} {c.Status}{(c.Verification is null ? "" : $" (verified: {c.Verification})")}")),
                string.Join("; ", e.Calls.Where(c => c.RequestId is not null).Select(c => $"{c.Region}:{c.RequestId}")),
                e.Inputs, e.Plan, e.PreviousHash, e.Hash, e.Seal,
            ]));
            if (++written % ExportPageSize == 0)
            {
                await writer.WriteAsync(buffer, cancellationToken);
                await writer.FlushAsync(cancellationToken);
                buffer.Clear();
            }
        }
        await writer.WriteAsync(buffer, cancellationToken);
        var total = written < limit ? written : await CountAsync(query, cancellationToken);
        var chain = await VerifyAsync(cancellationToken);
        var footer = total > written
            ? $"# CUT: {written} of {total} matching entries written (limit {limit}); narrow the filters (From/To) to export the rest."
            : $"# Complete: {written} matching entries.";
        await writer.WriteAsync(Export.CsvExportWriter.Row([footer + " " + chain.Summary]));
        await writer.FlushAsync(cancellationToken);
    }

    private static int InstanceLockId(string instance) => BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(instance)));

    private static string LockConnectionString(JournalDbContext db) =>
        new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString;

    private async Task HoldInstanceLockAsync(JournalDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql() || _alive is { State: System.Data.ConnectionState.Open }) return;
        await _aliveGate.WaitAsync(cancellationToken);
        try
        {
            if (_alive is { State: System.Data.ConnectionState.Open }) return;
            if (_alive is not null) await _alive.DisposeAsync();
            _alive = null;
            var connection = new NpgsqlConnection(LockConnectionString(db));
            await connection.OpenAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock($1, $2)", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = InstanceLockClass });
                command.Parameters.Add(new NpgsqlParameter { Value = InstanceLockId(Instance) });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            _alive = connection;
        }
        finally
        {
            _aliveGate.Release();
        }
    }

    /// <summary>Those of <paramref name="owners"/> whose instance still holds its lock (it lives).</summary>
    private static async Task<HashSet<string>> LiveInstancesAsync(JournalDbContext db, IEnumerable<string> owners, CancellationToken cancellationToken)
    {
        var alive = new HashSet<string>(StringComparer.Ordinal);
        var list = owners.ToList();
        if (list.Count == 0) return alive;
        await using var connection = new NpgsqlConnection(LockConnectionString(db));
        await connection.OpenAsync(cancellationToken);
        foreach (var owner in list)
        {
            await using var command = new NpgsqlCommand(
                "SELECT CASE WHEN pg_try_advisory_lock($1, $2) THEN pg_advisory_unlock($1, $2) AND false ELSE true END", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = InstanceLockClass });
            command.Parameters.Add(new NpgsqlParameter { Value = InstanceLockId(owner) });
            if (await command.ExecuteScalarAsync(cancellationToken) is true) alive.Add(owner);
        }
        return alive;
    }

    /// <summary>Lets go of this instance's lock: its entries still open count as interrupted from now on.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_alive is not null) await _alive.DisposeAsync();
        _alive = null;
    }

    private static IQueryable<JournalEntry> Filter(JournalDbContext db, JournalQuery query)
    {
        IQueryable<JournalEntry> entries = db.Entries.AsNoTracking().Include(e => e.Calls);
        // SQLite's LIKE ignores ASCII case; PostgreSQL's does not, so there ILIKE gives the same matches.
        var npgsql = db.Database.IsNpgsql();
        if (Like(query.User) is { } user)
            entries = npgsql
                ? entries.Where(e => EF.Functions.ILike(e.User, user, LikeEscape) || EF.Functions.ILike(e.UserId, user, LikeEscape))
                : entries.Where(e => EF.Functions.Like(e.User, user, LikeEscape) || EF.Functions.Like(e.UserId, user, LikeEscape));
        if (Like(query.KeyId) is { } keyId)
            entries = npgsql ? entries.Where(e => EF.Functions.ILike(e.KeyId, keyId, LikeEscape)) : entries.Where(e => EF.Functions.Like(e.KeyId, keyId, LikeEscape));
        if (!string.IsNullOrWhiteSpace(query.Action)) entries = entries.Where(e => e.Action == query.Action);
        if (!string.IsNullOrWhiteSpace(query.Outcome)) entries = entries.Where(e => e.Outcome == query.Outcome);
        if (!string.IsNullOrWhiteSpace(query.Region))
            entries = entries.Where(e => e.Region == query.Region || e.Calls.Any(c => c.Region == query.Region));
        if (query.From is { } from) { var f = from.UtcDateTime; entries = entries.Where(e => e.At >= f); }
        if (query.To is { } to) { var t = to.UtcDateTime; entries = entries.Where(e => e.At <= t); }
        return entries;
    }

    private const string LikeEscape = "\\";

    /// <summary>A "contains" pattern in which the text's own <c>%</c>, <c>_</c> and <c>\</c> mean themselves.</summary>
    internal static string? Like(string? part) =>
        string.IsNullOrWhiteSpace(part) ? null
            : "%" + part.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
