using System.Text;
using KmsDashboard.Core.Inventory;

namespace KmsDashboard.Web.Features.Inventory;

public static class InventoryEndpoints
{
    /// <summary>The key map's CSV export: <c>GET /inventory/keymap.csv</c> with the key map's own query string.</summary>
    public static IEndpointRouteBuilder MapInventoryExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/inventory/keymap.csv", (HttpContext http, KeyInventory inventory) =>
        {
            var filter = KeyMapFilter.FromQuery(name => http.Request.Query[name].FirstOrDefault());
            var snapshot = inventory.Current;
            var rows = filter.Apply(KeyMapRow.From(snapshot));
            var text = new StringWriter();
            KeyMapCsv.Write(text, rows, snapshot.Regions, snapshot);
            var stamp = (snapshot.ReadAt ?? DateTimeOffset.UtcNow).ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", $"kms-key-map-{stamp}.csv");
        });
        return app;
    }
}
