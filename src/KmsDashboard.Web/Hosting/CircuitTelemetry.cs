using KmsDashboard.Core.Telemetry;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KmsDashboard.Web.Hosting;

/// <summary>Counts open Blazor circuits (<c>kmsdashboard.circuits.open</c>): one per open tab, until it is closed.</summary>
internal sealed class CircuitTelemetry : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        DashboardTelemetry.OpenCircuits.Add(1);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        DashboardTelemetry.OpenCircuits.Add(-1);
        return Task.CompletedTask;
    }
}
