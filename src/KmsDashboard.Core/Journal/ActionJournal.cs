using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace KmsDashboard.Core.Journal;

/// <summary>The action journal: every attempted key action with its outcome per Region, kept in SQLite.</summary>
public sealed class ActionJournal(IDbContextFactory<JournalDbContext> contexts, ILogger<ActionJournal> logger)
{
    /// <summary>The journal's file in the data directory.</summary>
    public const string FileName = "journal.db";

    private int _created;

    /// <summary>Creates the database file and its tables when missing (first start).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 1) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Database.EnsureCreatedAsync(cancellationToken))
            logger.LogInformation("Created the action journal at {DataSource}", db.Database.GetDbConnection().DataSource);
        Volatile.Write(ref _created, 1);
    }

    public async Task<long> AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Entries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Journaled {Action} of {KeyId} in {Region} by {User}: {Outcome}", entry.Action, entry.KeyId, entry.Region, entry.User, entry.Outcome);
        return entry.Id;
    }

    /// <summary>
    /// Completes an entry appended before its first AWS call (multi-step work): sets its outcome and summary and adds
    /// the calls made.
    /// </summary>
    public async Task CompleteAsync(long id, string outcome, string summary, IEnumerable<JournalCall> calls, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entry = await db.Entries.SingleAsync(e => e.Id == id, cancellationToken);
        entry.Outcome = outcome;
        entry.Summary = summary;
        foreach (var call in calls)
        {
            call.JournalEntryId = id;
            db.Calls.Add(call);
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Journal entry {Id} ({Action} by {User}) completed: {Outcome}", id, entry.Action, entry.User, outcome);
    }

    /// <summary>Entries matching the query, newest first, with their calls.</summary>
    public async Task<IReadOnlyList<JournalEntry>> QueryAsync(JournalQuery query, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<JournalEntry> entries = db.Entries.AsNoTracking().Include(e => e.Calls);
        if (Like(query.User) is { } user) entries = entries.Where(e => EF.Functions.Like(e.User, user));
        if (Like(query.KeyId) is { } keyId) entries = entries.Where(e => EF.Functions.Like(e.KeyId, keyId));
        if (!string.IsNullOrWhiteSpace(query.Action)) entries = entries.Where(e => e.Action == query.Action);
        if (!string.IsNullOrWhiteSpace(query.Outcome)) entries = entries.Where(e => e.Outcome == query.Outcome);
        if (!string.IsNullOrWhiteSpace(query.Region))
            entries = entries.Where(e => e.Region == query.Region || e.Calls.Any(c => c.Region == query.Region));
        if (query.From is { } from) { var f = from.UtcDateTime; entries = entries.Where(e => e.At >= f); }
        if (query.To is { } to) { var t = to.UtcDateTime; entries = entries.Where(e => e.At <= t); }
        var list = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(Math.Clamp(query.Limit, 1, 10_000)).ToListAsync(cancellationToken);
        foreach (var entry in list) entry.Calls.Sort((a, b) => a.Step.CompareTo(b.Step));
        return list;
    }

    /// <summary>Writes the matching entries as CSV, one row per entry, its calls and request ids flattened.</summary>
    public async Task WriteCsvAsync(JournalQuery query, TextWriter writer, CancellationToken cancellationToken)
    {
        var entries = await QueryAsync(query with { Limit = 10_000 }, cancellationToken);
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions(), true);
        csv.WriteRecord(["Id", "AtUtc", "User", "Roles", "Action", "KeyId", "Region", "Outcome", "Summary", "Calls", "RequestIds", "Inputs", "Plan"]);
        foreach (var e in entries)
        {
            csv.WriteRecord(
            [
                e.Id.ToString(CultureInfo.InvariantCulture),
                e.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                e.User, e.Roles, e.Action, e.KeyId, e.Region, e.Outcome, e.Summary,
                string.Join("; ", e.Calls.Select(c => $"{c.Region} {c.Operation} {c.Status}")),
                string.Join("; ", e.Calls.Where(c => c.RequestId is not null).Select(c => $"{c.Region}:{c.RequestId}")),
                e.Inputs, e.Plan,
            ]);
        }
        csv.Flush();
        await writer.FlushAsync(cancellationToken);
    }

    private static string? Like(string? part) =>
        string.IsNullOrWhiteSpace(part) ? null : "%" + part.Trim().Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal) + "%";
}
