using System.Globalization;
using System.Reflection;
using KmsDashboard.Core.Findings;
using KmsDashboard.Core.Security;

namespace KmsDashboard.Web.Features.Findings;

public static class FindingsEndpoints
{
    public const string ExportPath = "/findings/export";
    public const string SuppressionsPath = "/findings/suppressions.json";

    /// <summary>
    /// GET /findings/export?format=csv|json|sarif (the page's filters apply) and GET /findings/suppressions.json — Auditor and
    /// Admin, like the other exports (findings carry CloudTrail callers as evidence).
    /// </summary>
    public static IEndpointRouteBuilder MapFindingsExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, async (HttpContext http, FindingsService findings, TimeProvider time, string? format, CancellationToken ct) =>
        {
            var query = http.Request.Query;
            var filter = FindingsFilter.FromQuery(name => query.TryGetValue(name, out var v) ? v.ToString() : null);
            var report = findings.Current;
            var selected = filter.Apply(report.Findings, time.GetUtcNow()).ToList();
            var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            switch ((format ?? "csv").ToLowerInvariant())
            {
                case "csv":
                    http.Response.ContentType = "text/csv; charset=utf-8";
                    http.Response.Headers.ContentDisposition = $"attachment; filename=\"kms-findings-{stamp}.csv\"";
                    await using (var buffer = new StringWriter(CultureInfo.InvariantCulture))
                    {
                        await FindingsExport.WriteCsvAsync(selected, buffer, ct);
                        await http.Response.WriteAsync(buffer.ToString(), ct);
                    }
                    break;
                case "json":
                    http.Response.ContentType = "application/json; charset=utf-8";
                    http.Response.Headers.ContentDisposition = $"attachment; filename=\"kms-findings-{stamp}.json\"";
                    await FindingsExport.WriteJsonAsync(selected, http.Response.Body, ct);
                    break;
                case "sarif":
                    http.Response.ContentType = "application/sarif+json; charset=utf-8";
                    http.Response.Headers.ContentDisposition = $"attachment; filename=\"kms-findings-{stamp}.sarif\"";
                    await FindingsExport.WriteSarifAsync(selected, Version, http.Response.Body, ct);
                    break;
                default:
                    http.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await http.Response.WriteAsync($"Unknown format '{format}': use csv, json or sarif.", ct);
                    break;
            }
        }).RequireAuthorization(DashboardPolicies.CanAudit);
        endpoints.MapGet(SuppressionsPath, async (HttpContext http, FindingsService findings, TimeProvider time, CancellationToken ct) =>
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"kms-finding-suppressions.json\"";
            await FindingsExport.WriteSuppressionsJsonAsync(findings.Current.Suppressions, time.GetUtcNow(), http.Response.Body, ct);
        }).RequireAuthorization(DashboardPolicies.CanAudit);
        return endpoints;
    }

    public static string ExportUrl(FindingsFilter filter, string format) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(ExportPath + filter.ToQueryString(), "format", format);

    private static readonly string Version = typeof(FindingsEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
}
