using KmsDashboard.Core.Dependents;
using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Features.Dependents;

public static class DependentsHostingExtensions
{
    /// <summary>The dependents model (S3 buckets, grants, CloudTrail callers), object scans, and the key page's Dependents tab.</summary>
    public static WebApplicationBuilder AddDashboardDependents(this WebApplicationBuilder builder)
    {
        builder.Services.AddDependents();
        builder.Services.AddKeyDetailTab<KeyDependentsTab>("Dependents", order: 25);
        return builder;
    }
}
