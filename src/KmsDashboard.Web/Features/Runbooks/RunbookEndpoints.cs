using System.Globalization;
using KmsDashboard.Core.Runbooks;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Web.Features.Runbooks;

public static class RunbookEndpoints
{
    public static string CsvUrl(Guid id) => $"/runbooks/{id}/export.csv";
    public static string JsonUrl(Guid id) => $"/runbooks/{id}/export.json";

    /// <summary>A runbook's history for change records, as CSV (one row per step, Region and call) or JSON (everything).</summary>
    public static IEndpointRouteBuilder MapRunbookExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/runbooks/{id:guid}/export.{format}", async (HttpContext http, RunbookService runbooks, Guid id, string format, CancellationToken ct) =>
        {
            if (format is not ("csv" or "json")) return Results.NotFound();
            var view = await runbooks.GetAsync(id, ct);
            if (view is null) return Results.NotFound();
            var name = $"runbook-{view.Runbook.Kind.ToLowerInvariant()}-{id:N}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{format}";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            if (format == "json")
            {
                http.Response.ContentType = "application/json; charset=utf-8";
                await RunbookExport.WriteJsonAsync(view, http.Response.Body, ct);
                return Results.Empty;
            }
            http.Response.ContentType = "text/csv; charset=utf-8";
            // The CSV writer writes synchronously: build the (bounded) history in memory, then send it.
            await using var buffer = new StringWriter(CultureInfo.InvariantCulture);
            await RunbookExport.WriteCsvAsync(view, buffer, ct);
            await http.Response.WriteAsync(buffer.ToString(), ct);
            return Results.Empty;
        }).RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(DashboardRoles.Operator, DashboardRoles.Auditor, DashboardRoles.Admin));
        return endpoints;
    }
}
