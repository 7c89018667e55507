using System.Globalization;
using KmsDashboard.Core.Journal;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Web.Features.Journal;

public static class JournalEndpoints
{
    public const string ExportPath = "/journal/export.csv";

    /// <summary>GET /journal/export.csv?user=&amp;action=&amp;key=&amp;region=&amp;outcome=&amp;from=&amp;to=&amp;limit= — Auditor and Admin only.</summary>
    public static IEndpointRouteBuilder MapJournalExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, async (HttpContext http, ActionJournal journal, string? user, string? action, string? key, string? region,
            string? outcome, string? from, string? to, int? limit, CancellationToken ct) =>
        {
            var query = new JournalQuery
            {
                User = user, Action = action, KeyId = key, Region = region, Outcome = outcome,
                From = ParseDate(from), To = ParseDate(to),
            };
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"kms-action-journal-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
            // Streamed a page at a time, never held whole in memory; the last row says whether it was cut and whether the chain holds.
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), bufferSize: 16 * 1024);
            await journal.WriteCsvAsync(query, writer, ct, limit is > 0 ? limit.Value : ActionJournal.DefaultExportLimit);
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
