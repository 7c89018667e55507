using System.Diagnostics;
using Bunit;
using KmsDashboard.Web.Features.Inventory;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.Bench.Inventory;

/// <summary>
/// Key map timings for N keys: building, filtering and sorting the rows (server work on every change), rendering the
/// matrix as the browser gets it (virtualized: the first screen of rows), and rendering every row at once (bUnit
/// renders all of a Virtualize's items), the upper bound.
/// </summary>
internal static class KeyMapRenderTiming
{
    public static (int Rows, double RowsMs, double FirstScreenMs, double FullRenderMs, int RowsRendered) Measure(int keys)
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
        ctx.Render<KeyMatrix>(p => p.Add(x => x.Rows, rows.Take(40).ToList()).Add(x => x.Regions, snapshot.Regions));
        var firstScreen = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        var all = ctx.Render<KeyMatrix>(p => p.Add(x => x.Rows, rows).Add(x => x.Regions, snapshot.Regions));
        var full = clock.Elapsed.TotalMilliseconds;
        return (rows.Count, rowsMs, firstScreen, full, all.FindAll("tr.key-row").Count);
    }
}
