using System.Diagnostics;
using KmsDashboard.Core.Inventory;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KmsDashboard.Web.Hosting;

/// <summary>
/// <c>Diagnostics:HeapEndpoint=true</c> (off by default; for the <c>circuits</c> benchmark, never in production):
/// <c>GET /_diagnostics/heap</c> forces a full, compacting collection and answers the live managed heap, the process's
/// CPU time, the circuits open and the inventory's key count. Each call stops the world, so it is a measuring tool.
/// </summary>
public static class DiagnosticsEndpoints
{
    public const string Setting = "Diagnostics:HeapEndpoint";
    public const string Path = "/_diagnostics/heap";

    public static WebApplicationBuilder AddHeapDiagnostics(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(Setting)) return builder;
        builder.Services.AddSingleton<OpenCircuits>();
        builder.Services.AddSingleton<CircuitHandler>(sp => sp.GetRequiredService<OpenCircuits>());
        return builder;
    }

    public static WebApplication MapHeapDiagnostics(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(Setting)) return app;
        app.MapGet(Path, (OpenCircuits circuits, KeyInventory inventory) =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var live = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            return Results.Json(new HeapReport(live, process.TotalProcessorTime.TotalMilliseconds, circuits.Open, circuits.Connected,
                inventory.Current.KeyCount, inventory.Progress.Running));
        }).AllowAnonymous();
        return app;
    }

    public sealed record HeapReport(long LiveBytes, double CpuMs, int Circuits, int ConnectedCircuits, int InventoryKeys, bool Refreshing);

    /// <summary>Counts the circuits open (connected or within their disconnected retention) and those connected.</summary>
    public sealed class OpenCircuits : CircuitHandler
    {
        private int _open;
        private int _connected;
        public int Open => Volatile.Read(ref _open);
        public int Connected => Volatile.Read(ref _connected);

        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _open);
            return Task.CompletedTask;
        }

        public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _connected);
            return Task.CompletedTask;
        }

        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref _connected);
            return Task.CompletedTask;
        }
    }
}
