using KmsDashboard.Core.Findings;

namespace KmsDashboard.Web.Features.Findings;

public static class FindingsHostingExtensions
{
    /// <summary>The findings engine, its store (findings.db), the <c>Findings</c> options (validated at start) and /findings.</summary>
    public static WebApplicationBuilder AddDashboardFindings(this WebApplicationBuilder builder)
    {
        builder.Services.AddFindings(builder.Environment.ContentRootPath);
        return builder;
    }

    /// <summary>GET /findings/export (CSV, JSON, SARIF) and /findings/suppressions.json (Auditor and Admin).</summary>
    public static WebApplication MapDashboardFindings(this WebApplication app)
    {
        app.MapFindingsExport();
        return app;
    }
}
