using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KmsDashboard.Core.Audit;

/// <summary>
/// Writes an export as it streams: a header line naming the query and when it ran, the events page by page, and a
/// closing line with the count (the count is only known at the end of a streamed file).
/// CSV header and closing lines start with '#'; JSON Lines ones are objects with "export" and "exportSummary".
/// </summary>
public sealed class AuditExportWriter(Stream output, AuditExportFormat format) : IAsyncDisposable
{
    public static readonly string[] CsvColumns =
    [
        "eventTime", "awsRegion", "eventName", "outcome", "errorMessage", "user", "userType", "userArn", "accessKeyId",
        "sourceIPAddress", "userAgent", "readOnly", "keyArns", "requestKeyId", "encryptionContext", "eventSource", "eventType",
        "eventId", "requestId",
    ];

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };

    public static string FileName(AuditExportFormat format, DateTimeOffset startedAt) =>
        $"kms-audit-{startedAt.UtcDateTime:yyyyMMdd-HHmmss}.{(format == AuditExportFormat.Csv ? "csv" : "jsonl")}";

    public static string ContentType(AuditExportFormat format) => format == AuditExportFormat.Csv ? "text/csv" : "application/x-ndjson";

    public async Task WriteHeaderAsync(AuditPlan plan, DateTimeOffset startedAt, string user, CancellationToken cancellationToken)
    {
        if (format == AuditExportFormat.Csv)
        {
            await _writer.WriteLineAsync($"# KmsDashboard CloudTrail export | query: {plan.Query.Describe()} | Regions read: {string.Join(",", plan.Regions)} | started: {Iso(startedAt)} | by: {user} | newest first within each Region".AsMemory(), cancellationToken);
            await _writer.WriteLineAsync(string.Join(",", CsvColumns).AsMemory(), cancellationToken);
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
            await _writer.WriteLineAsync((format == AuditExportFormat.Csv ? CsvRow(e) : JsonLine(e)).AsMemory(), cancellationToken);
        await _writer.FlushAsync(cancellationToken);
    }

    public async Task WriteSummaryAsync(AuditExportResult result, DateTimeOffset finishedAt)
    {
        var failed = result.Regions.Where(r => r.Error is not null).Select(r => $"{r.Region}: {r.Error}").ToList();
        var status = result.Complete ? "complete" : result.Cancelled || failed.Count == 0 ? "INCOMPLETE (cancelled)" : "INCOMPLETE (" + string.Join("; ", failed) + ")";
        if (format == AuditExportFormat.Csv)
            await _writer.WriteLineAsync($"# {status} | events: {result.Events} | pages: {result.Pages} | Regions: {result.Regions.Count} | finished: {Iso(finishedAt)}");
        else
            await _writer.WriteLineAsync(JsonSerializer.Serialize(new
            {
                exportSummary = new { complete = result.Complete, cancelled = result.Cancelled, events = result.Events, pages = result.Pages, regions = result.Regions.Select(r => new { r.Region, r.Events, r.Error }), finishedAt = Iso(finishedAt) },
            }));
        await _writer.FlushAsync();
    }

    /// <summary>JSON Lines carry the full CloudTrail record, as CloudTrail returned it.</summary>
    private static string JsonLine(AuditEvent e) => e.Record.Length > 0 && !e.Record.Contains('\n') ? e.Record : JsonSerializer.Serialize(e.Record);

    private static string CsvRow(AuditEvent e) => string.Join(",", new[]
    {
        Iso(e.EventTime), e.Region, e.EventName, e.Outcome, e.ErrorMessage ?? "", e.Actor, e.UserType, e.UserArn, e.AccessKeyId,
        e.SourceIpAddress, e.UserAgent, e.ReadOnly ? "true" : "false", string.Join(" ", e.KeyArns), e.RequestKeyId ?? "",
        e.EncryptionContext.Count == 0 ? "" : JsonSerializer.Serialize(e.EncryptionContext), e.EventSource, e.EventType, e.EventId, e.RequestId,
    }.Select(Csv));

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula.</summary>
    internal static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await _writer.DisposeAsync();
}
