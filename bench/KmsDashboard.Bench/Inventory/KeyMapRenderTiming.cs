using System.Diagnostics;
using Bunit;
using KmsDashboard.Web.Features.Inventory;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Bench.Inventory;

/// <summary>
/// Key map timings for N keys: building, filtering and sorting the rows (server work on every change), then rendering
/// the matrix component with all of them. The matrix virtualizes, so the render produces only the rows around the
/// viewport (<c>RowsRendered</c>) whatever the key count: that is what the server renders and sends for a screen.
/// </summary>
internal static class KeyMapRenderTiming
{
    public static (int Rows, double RowsMs, double RenderMs, int RowsRendered) Measure(int keys)
    {
        var snapshot = SyntheticEstate.Snapshot(keys);
        _ = KeyMapRow.From(SyntheticEstate.Snapshot(100)); // warm up
        var clock = Stopwatch.StartNew();
        var rows = new KeyMapFilter { Sort = KeyMapSort.Drift, Descending = true }.Apply(KeyMapRow.From(snapshot)).ToList();
        var rowsMs = clock.Elapsed.TotalMilliseconds;

        using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Render<KeyMatrix>(p => p.Add(x => x.Rows, rows.Take(50).ToList()).Add(x => x.Regions, snapshot.Regions)); // warm up

        clock.Restart();
        var all = ctx.Render<KeyMatrix>(p => p.Add(x => x.Rows, rows).Add(x => x.Regions, snapshot.Regions));
        var render = clock.Elapsed.TotalMilliseconds;
        return (rows.Count, rowsMs, render, all.FindAll("tr.key-row").Count);
    }
}
