using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Journal;

/// <summary>
/// The action journal: every attempted key action with its outcome per Region, kept in SQLite. Entries are opened
/// before the first AWS call, updated call by call and closed at the end; each carries the hash of the one before it
/// (<see cref="JournalChain"/>), so an edited or removed entry shows.
/// </summary>
public sealed class ActionJournal(IDbContextFactory<JournalDbContext> contexts, ILogger<ActionJournal> logger)
{
    /// <summary>The journal's file in the data directory.</summary>
    public const string FileName = "journal.db";

    /// <summary>An entry whose calls are being sent (or whose process died while sending them).</summary>
    public const string InProgress = "InProgress";
    /// <summary>Read-only work under way (a failover drill); still Running at a start means the process died during it.</summary>
    public const string Running = "Running";
    /// <summary>A call not sent yet.</summary>
    public const string Pending = "Pending";
    /// <summary>A call sent and not answered yet.</summary>
    public const string Sending = "Sending";

    /// <summary>Rows read per query while exporting.</summary>
    public const int ExportPageSize = 500;
    /// <summary>Rows an export holds at most unless told otherwise; the footer says when it was cut.</summary>
    public const int DefaultExportLimit = 100_000;

    private int _created;
    // Entries this process opened and has not closed: the others still InProgress were left by a process that died.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, byte> _openHere = new();
    // Appends read the last hash and insert after it: one at a time, or two entries would claim the same predecessor.
    private readonly SemaphoreSlim _append = new(1, 1);
    private readonly SemaphoreSlim _create = new(1, 1);

    /// <summary>
    /// Creates the database file and its tables when missing (first start), and adds the columns later versions
    /// introduced to a file an older version created (existing journals keep opening).
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1) return;
        // The first callers may arrive together (concurrent actions): one creates, the others wait and find it made.
        await _create.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _created) == 1) return;
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (await db.Database.EnsureCreatedAsync(cancellationToken))
                logger.LogInformation("Created the action journal at {DataSource}", db.Database.GetDbConnection().DataSource);
            else
                await JournalDbContext.UpgradeAsync(db, logger, cancellationToken);
            Volatile.Write(ref _created, 1);
        }
        finally
        {
            _create.Release();
        }
    }

    /// <summary>Appends an entry (with its calls) at the end of the chain; throws when it cannot be written.</summary>
    public async Task<long> AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await _append.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var previous = await db.Entries.AsNoTracking().Where(e => e.Hash != "").OrderByDescending(e => e.Id)
                .Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken) ?? "";
            entry.PreviousHash = previous;
            entry.Hash = JournalChain.OpeningHash(entry);
            entry.Seal = JournalChain.Seal(entry);
            db.Entries.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (entry.Outcome is InProgress or Running) _openHere[entry.Id] = 0;
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
        if (entry.Outcome is not (InProgress or Running)) _openHere.TryRemove(id, out _);
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

    /// <summary>Entries still marked <see cref="InProgress"/> or <see cref="Running"/> that this process did not open (their process stopped mid-way), oldest first.</summary>
    public async Task<IReadOnlyList<JournalEntry>> InterruptedAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var list = (await db.Entries.AsNoTracking().Include(e => e.Calls).Where(e => e.Outcome == InProgress || e.Outcome == Running).OrderBy(e => e.Id).ToListAsync(cancellationToken))
            .Where(e => !_openHere.ContainsKey(e.Id)).ToList();
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

    private static IQueryable<JournalEntry> Filter(JournalDbContext db, JournalQuery query)
    {
        IQueryable<JournalEntry> entries = db.Entries.AsNoTracking().Include(e => e.Calls);
        if (Like(query.User) is { } user) entries = entries.Where(e => EF.Functions.Like(e.User, user, LikeEscape) || EF.Functions.Like(e.UserId, user, LikeEscape));
        if (Like(query.KeyId) is { } keyId) entries = entries.Where(e => EF.Functions.Like(e.KeyId, keyId, LikeEscape));
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
