using KmsDashboard.Core.Audit;
using KmsDashboard.Core.Security;
using Microsoft.AspNetCore.Http.Features;

namespace KmsDashboard.Web.Features.Audit;

public static class AuditEndpoints
{
    public const string ExportPath = "/audit/export";

    /// <summary>
    /// GET /audit/export?format=csv|jsonl&amp;id=&amp;(the Audit page's query) — streams the file as CloudTrail is read.
    /// Auditor and Admin only (checked here and again in Core).
    /// </summary>
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, async (HttpContext http, AuditService audit, AuditExportTracker tracker, string? format, string? id, CancellationToken ct) =>
        {
            var query = AuditQuery.FromParameters(name => http.Request.Query[name].FirstOrDefault(), audit.Now.AddDays(-1), audit.Now, audit.ConfiguredRegions);
            var kind = string.Equals(format, "jsonl", StringComparison.OrdinalIgnoreCase) ? AuditExportFormat.JsonLines : AuditExportFormat.Csv;
            var user = DashboardUser.From(http.User).Name;
            var exportId = string.IsNullOrWhiteSpace(id) ? Guid.NewGuid().ToString("N") : id;
            var entry = tracker.Start(exportId, user);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, entry.Cancel.Token);
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            http.Response.ContentType = AuditExportWriter.ContentType(kind) + "; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{AuditExportWriter.FileName(kind, audit.Now)}\"";
            http.Response.Headers.CacheControl = "no-store";
            try
            {
                entry.Result = await audit.ExportAsync(query, http.User, kind, http.Response.Body, entry, linked.Token);
            }
            catch (AuditQueryException ex) when (!http.Response.HasStarted)
            {
                entry.Error = ex.Message;
                http.Response.ContentType = "text/plain; charset=utf-8";
                http.Response.Headers.ContentDisposition = default;
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsync(ex.Message, CancellationToken.None);
            }
            catch (AuditAccessDeniedException ex) when (!http.Response.HasStarted)
            {
                entry.Error = ex.Message;
                http.Response.Headers.ContentDisposition = default;
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
            }
            catch (OperationCanceledException)
            {
                entry.Error = "cancelled";
            }
            finally
            {
                tracker.Finish(exportId);
            }
        }).RequireAuthorization(DashboardPolicies.CanAudit);
        return endpoints;
    }

    public static string ExportUrl(AuditQuery query, AuditExportFormat format, string id) =>
        $"{ExportPath}?format={(format == AuditExportFormat.Csv ? "csv" : "jsonl")}&id={id}&{query.ToQueryString()}";
}
