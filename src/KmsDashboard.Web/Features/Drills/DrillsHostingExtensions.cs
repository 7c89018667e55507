using KmsDashboard.Core.Drills;
using KmsDashboard.Web.Features.Inventory;

namespace KmsDashboard.Web.Features.Drills;

public static class DrillsHostingExtensions
{
    /// <summary>Failover drills (drills.db), the key page's "Failover drill" tab and the /drills page.</summary>
    public static WebApplicationBuilder AddFailoverDrills(this WebApplicationBuilder builder)
    {
        builder.Services.AddFailoverDrills(builder.Environment.ContentRootPath);
        builder.Services.AddKeyDetailTab<KeyDrillTab>("Failover drill", order: 30);
        return builder;
    }
}
