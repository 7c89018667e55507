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
/// </summary>
public sealed class AuditExportWriter : IAsyncDisposable
{
    public static readonly string[] CsvColumns =
    [
        "eventTime", "awsRegion", "eventName", "outcome", "errorMessage", "user", "userType", "userArn", "accessKeyId",
        "sourceIPAddress", "userAgent", "readOnly", "keyArns", "requestKeyId", "encryptionContext", "eventSource", "eventType",
        "eventId", "requestId",
    ];

    private readonly StreamWriter _writer;
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
        if (_format == AuditExportFormat.Csv)
        {
            await _csv.WriteRowAsync([$"# KmsDashboard CloudTrail export | query: {plan.Query.Describe()} | Regions read: {string.Join(" ", plan.Regions)} | started: {Iso(startedAt)} | by: {user} | newest first within each Region"], cancellationToken);
            await _csv.WriteRowAsync(CsvColumns, cancellationToken);
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
            if (_format == AuditExportFormat.Csv) await _csv.WriteRowAsync(CsvRow(e), cancellationToken);
            else await _writer.WriteLineAsync(JsonLine(e).AsMemory(), cancellationToken);
        }
        await _writer.FlushAsync(cancellationToken);
    }

    public async Task WriteSummaryAsync(AuditExportResult result, DateTimeOffset finishedAt)
    {
        var failed = result.Regions.Where(r => r.Error is not null).Select(r => $"{r.Region}: {r.Error}").ToList();
        var status = result.Complete ? "complete" : result.Cancelled || failed.Count == 0 ? "INCOMPLETE (cancelled)" : "INCOMPLETE (" + string.Join("; ", failed) + ")";
        if (_format == AuditExportFormat.Csv)
            await _csv.WriteRowAsync([$"# {status} | events: {result.Events} | pages: {result.Pages} | Regions: {result.Regions.Count} | finished: {Iso(finishedAt)}"], CancellationToken.None);
        else
            await _writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                exportSummary = new { complete = result.Complete, cancelled = result.Cancelled, events = result.Events, pages = result.Pages, regions = result.Regions.Select(r => new { r.Region, r.Events, r.Error }), finishedAt = Iso(finishedAt) },
            }));
        await _writer.FlushAsync();
    }

    /// <summary>JSON Lines carry the full CloudTrail record, as CloudTrail returned it.</summary>
    private static string JsonLine(AuditEvent e) => e.Record.Length > 0 && !e.Record.Contains('\n') ? e.Record : JsonSerializer.Serialize(e.Record);

    private static string[] CsvRow(AuditEvent e) =>
    [
        Iso(e.EventTime), e.Region, e.EventName, e.Outcome, e.ErrorMessage ?? "", e.Actor, e.UserType, e.UserArn, e.AccessKeyId,
        e.SourceIpAddress, e.UserAgent, e.ReadOnly ? "true" : "false", string.Join(" ", e.KeyArns), e.RequestKeyId ?? "",
        e.EncryptionContext.Count == 0 ? "" : JsonSerializer.Serialize(e.EncryptionContext), e.EventSource, e.EventType, e.EventId, e.RequestId,
    ];

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await _writer.DisposeAsync();
}
