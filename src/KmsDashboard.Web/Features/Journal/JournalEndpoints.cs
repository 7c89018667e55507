using System.Globalization;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Web.Features.Journal;

public static class JournalEndpoints
{
    public const string ExportPath = "/journal/export.csv";

    /// <summary>GET /journal/export.csv?user=&amp;action=&amp;key=&amp;region=&amp;outcome=&amp;from=&amp;to= — Auditor and Admin only.</summary>
    public static IEndpointRouteBuilder MapJournalExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, async (HttpContext http, ActionJournal journal, string? user, string? action, string? key, string? region,
            string? outcome, string? from, string? to, CancellationToken ct) =>
        {
            var query = new JournalQuery
            {
                User = user, Action = action, KeyId = key, Region = region, Outcome = outcome,
                From = ParseDate(from), To = ParseDate(to),
            };
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"kms-action-journal-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
            // CsvHelper writes synchronously: build the file in memory (the journal export is bounded), then send it.
            await using var buffer = new StringWriter(CultureInfo.InvariantCulture);
            await journal.WriteCsvAsync(query, buffer, ct);
            await http.Response.WriteAsync(buffer.ToString(), ct);
        }).RequireAuthorization(DashboardPolicies.CanAudit);
        return endpoints;
    }

    /// <summary>The export link for the filters a page shows.</summary>
    public static string ExportUrl(JournalQuery query)
    {
        var parts = new List<string>();
        void Add(string name, string? value) { if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{name}={Uri.EscapeDataString(value)}"); }
        Add("user", query.User);
        Add("action", query.Action);
        Add("key", query.KeyId);
        Add("region", query.Region);
        Add("outcome", query.Outcome);
        Add("from", query.From?.ToString("o", CultureInfo.InvariantCulture));
        Add("to", query.To?.ToString("o", CultureInfo.InvariantCulture));
        return parts.Count == 0 ? ExportPath : $"{ExportPath}?{string.Join("&", parts)}";
    }

    private static DateTimeOffset? ParseDate(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
}
