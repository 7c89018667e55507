using KmsDashboard.Core.Audit;
using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Features.Audit;

public static class AuditHostingExtensions
{
    /// <summary>CloudTrail clients, the audit service, export tracking, and the key detail page's Activity tab.</summary>
    public static WebApplicationBuilder AddDashboardAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddDashboardAudit();
        builder.Services.AddSingleton<AuditExportTracker>();
        builder.Services.AddKeyDetailTab<KeyActivityTab>("Activity", order: 30);
        return builder;
    }
}
