using KmsDashboard.Core.Runbooks;

namespace KmsDashboard.Web.Features.Runbooks;

public static class RunbooksHostingExtensions
{
    /// <summary>The runbook engine and its store (runbooks.db), the manual rotation and retire runbooks.</summary>
    public static WebApplicationBuilder AddRunbooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddRunbooks(builder.Environment.ContentRootPath);
        return builder;
    }

    /// <summary>GET /runbooks/{id}/export.csv and .json: a runbook's whole history (Operator, Auditor, Admin).</summary>
    public static WebApplication MapRunbooks(this WebApplication app)
    {
        app.MapRunbookExport();
        return app;
    }
}
