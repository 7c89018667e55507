using KmsDashboard.Core.Actions;
using KmsDashboard.Web.Features.Inventory;
using KmsDashboard.Web.Features.Journal;

namespace KmsDashboard.Web.Features.Actions;

public static class ActionsHostingExtensions
{
    /// <summary>Key actions (KeyOperations, Safety:ReadOnly), the action journal, and the action bar on the key detail page.</summary>
    public static WebApplicationBuilder AddKeyActions(this WebApplicationBuilder builder)
    {
        builder.Services.AddKeyActions(builder.Environment.ContentRootPath);
        builder.Services.AddKeyDetailToolbar<KeyActionBar>(order: 0);
        return builder;
    }

    /// <summary>GET /journal/export.csv (Auditor and Admin).</summary>
    public static WebApplication MapKeyActions(this WebApplication app)
    {
        app.MapJournalExport();
        return app;
    }
}
