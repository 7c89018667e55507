using System.Globalization;
using System.Text;
using System.Text.Json;
using KmsDashboard.Core.Export;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// Writes an export as it streams: a header line naming the query and when it ran, the events page by page, and a
/// closing line with the count (the count is only known at the end of a streamed file).
/// CSV header and closing lines are one cell starting with '#' (written by <see cref="CsvExportWriter"/>, so the query
/// they echo is defused like every other cell); JSON Lines ones are objects with "export" and "exportSummary".
/// When the dashboard reads several accounts, CSV rows gain <c>account</c> and <c>accountName</c> after <c>eventTime</c>,
/// and each JSON Lines record gains <c>account</c> and <c>accountName</c> fields in front of CloudTrail's own.
/// </summary>
public sealed class AuditExportWriter : IAsyncDisposable
{
    public static readonly string[] CsvColumns =
    [
        "eventTime", "awsRegion", "eventName", "outcome", "errorMessage", "user", "userType", "userArn", "accessKeyId",
        "sourceIPAddress", "userAgent", "readOnly", "keyArns", "requestKeyId", "encryptionContext", "eventSource", "eventType",
        "eventId", "requestId",
    ];

    /// <summary>The columns added after eventTime when the dashboard reads several accounts.</summary>
    public static readonly string[] AccountColumns = ["account", "accountName"];

    private readonly StreamWriter _writer;
    private bool _multiAccount;
    private readonly CsvExportWriter _csv;
    private readonly AuditExportFormat _format;

    public AuditExportWriter(Stream output, AuditExportFormat format)
    {
        _writer = new(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        _csv = new CsvExportWriter(_writer);
        _format = format;
    }

    public static string FileName(AuditExportFormat format, DateTimeOffset startedAt) =>
        $"kms-audit-{startedAt.UtcDateTime:yyyyMMdd-HHmmss}.{(format == AuditExportFormat.Csv ? "csv" : "jsonl")}";

    public static string ContentType(AuditExportFormat format) => format == AuditExportFormat.Csv ? "text/csv" : "application/x-ndjson";

    public async Task WriteHeaderAsync(AuditPlan plan, DateTimeOffset startedAt, string user, CancellationToken cancellationToken)
    {
        _multiAccount = plan.MultiAccount;
        // Per account, the Regions read in it: "demo-payments (444455556666): us-east-1 eu-west-1".
        var accounts = plan.Targets.GroupBy(t => t.Account).Select(g => (Account: g.Key, Regions: g.Select(t => t.Region).ToList())).ToList();
        if (_format == AuditExportFormat.Csv)
        {
            var read = _multiAccount
                ? "Accounts read: " + string.Join("; ", accounts.Select(a => $"{Label(plan, a.Account)}: {string.Join(" ", a.Regions)}"))
                : $"Regions read: {string.Join(" ", plan.Regions)}";
            var order = _multiAccount ? "newest first within each account and Region" : "newest first within each Region";
            await _csv.WriteRowAsync([$"# KmsDashboard CloudTrail export | query: {plan.Query.Describe()} | {read} | started: {Iso(startedAt)} | by: {user} | {order}"], cancellationToken);
            await _csv.WriteRowAsync(_multiAccount ? [CsvColumns[0], .. AccountColumns, .. CsvColumns[1..]] : CsvColumns, cancellationToken);
        }
        else if (_multiAccount)
        {
            await _writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                export = new
                {
                    tool = "KmsDashboard", query = plan.Query.Describe(), regions = plan.Regions,
                    accounts = accounts.Select(a => new { id = a.Account, name = plan.AccountName(a.Account), regions = a.Regions }),
                    startedAt = Iso(startedAt), by = user, order = "newest first within each account and Region",
                },
            }).AsMemory(), cancellationToken);
        }
        else
        {
            await _writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                export = new { tool = "KmsDashboard", query = plan.Query.Describe(), regions = plan.Regions, startedAt = Iso(startedAt), by = user, order = "newest first within each Region" },
            }).AsMemory(), cancellationToken);
        }
        await _writer.FlushAsync(cancellationToken);
    }

    public async Task WriteEventsAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            if (_format == AuditExportFormat.Csv) await _csv.WriteRowAsync(_multiAccount ? [.. CsvRow(e)[..1], e.Account, e.AccountName, .. CsvRow(e)[1..]] : CsvRow(e), cancellationToken);
            else await _writer.WriteLineAsync((_multiAccount ? WithAccount(e, JsonLine(e)) : JsonLine(e)).AsMemory(), cancellationToken);
        }
        await _writer.FlushAsync(cancellationToken);
    }

    public async Task WriteSummaryAsync(AuditExportResult result, DateTimeOffset finishedAt)
    {
        var failed = result.Regions.Where(r => r.Error is not null).Select(r => $"{r.Label}: {r.Error}").ToList();
        var status = result.Complete ? "complete" : result.Cancelled || failed.Count == 0 ? "INCOMPLETE (cancelled)" : "INCOMPLETE (" + string.Join("; ", failed) + ")";
        var accounts = _multiAccount ? $" | accounts: {result.Regions.Select(r => r.Account).Distinct().Count()}" : "";
        if (_format == AuditExportFormat.Csv)
            await _csv.WriteRowAsync([$"# {status} | events: {result.Events} | pages: {result.Pages}{accounts} | Regions: {result.Regions.Count} | finished: {Iso(finishedAt)}"], CancellationToken.None);
        else if (_multiAccount)
            await _writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                exportSummary = new
                {
                    complete = result.Complete, cancelled = result.Cancelled, events = result.Events, pages = result.Pages,
                    regions = result.Regions.Select(r => new { r.Account, r.AccountName, r.Region, r.Events, r.Error, FailingSince = r.FailingSince is { } since ? Iso(since) : null }),
                    finishedAt = Iso(finishedAt),
                },
            }));
        else
            await _writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                exportSummary = new { complete = result.Complete, cancelled = result.Cancelled, events = result.Events, pages = result.Pages, regions = result.Regions.Select(r => new { r.Region, r.Events, r.Error }), finishedAt = Iso(finishedAt) },
            }));
        await _writer.FlushAsync();
    }

    /// <summary>JSON Lines carry the full CloudTrail record, as CloudTrail returned it.</summary>
    private static string JsonLine(AuditEvent e) => e.Record.Length > 0 && !e.Record.Contains('\n') ? e.Record : JsonSerializer.Serialize(e.Record);

    /// <summary>The record with the account in front: {"account":"…","accountName":"…", …CloudTrail's fields}.</summary>
    private static string WithAccount(AuditEvent e, string line)
    {
        var prefix = $"{{\"account\":{JsonSerializer.Serialize(e.Account)},\"accountName\":{JsonSerializer.Serialize(e.AccountName)}";
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith('{')) return trimmed.Length > 1 && trimmed[1..].TrimStart().StartsWith('}') ? prefix + "}" : prefix + "," + trimmed[1..];
        // A record that is not a JSON object (written as a string): kept whole under "record".
        return prefix + ",\"record\":" + line + "}";
    }

    private static string Label(AuditPlan plan, string account) =>
        plan.AccountName(account) is var name && name != account && name.Length > 0 ? $"{name} ({account})" : account;

    private static string[] CsvRow(AuditEvent e) =>
    [
        Iso(e.EventTime), e.Region, e.EventName, e.Outcome, e.ErrorMessage ?? "", e.Actor, e.UserType, e.UserArn, e.AccessKeyId,
        e.SourceIpAddress, e.UserAgent, e.ReadOnly ? "true" : "false", string.Join(" ", e.KeyArns), e.RequestKeyId ?? "",
        e.EncryptionContext.Count == 0 ? "" : JsonSerializer.Serialize(e.EncryptionContext), e.EventSource, e.EventType, e.EventId, e.RequestId,
    ];

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await _writer.DisposeAsync();
}
