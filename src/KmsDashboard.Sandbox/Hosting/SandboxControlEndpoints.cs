using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace KmsDashboard.Sandbox.Hosting;

/// <summary>
/// The /_sandbox control endpoint: GET clock, POST clock/advance?seconds=N (or JSON {"seconds": N}),
/// PUT/DELETE faults/{region} (JSON {latencyMs, outage, throttle}), DELETE faults, GET/PUT quotas (JSON {enforce}),
/// POST reset.
/// </summary>
public static class SandboxControlEndpoints
{
    public static IEndpointRouteBuilder MapSandboxControl(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/_sandbox");
        group.MapGet("/clock", (SandboxControl control) => ClockJson(control));
        group.MapPost("/clock/advance", async (HttpContext http, SandboxControl control) =>
        {
            var seconds = http.Request.Query.TryGetValue("seconds", out var q) && double.TryParse(q, System.Globalization.CultureInfo.InvariantCulture, out var s)
                ? s
                : (await ReadJsonAsync(http))?["seconds"]?.GetValue<double>();
            if (seconds is not { } by || by < 0 || double.IsNaN(by))
                return Results.BadRequest(new { message = "Give seconds >= 0, as ?seconds=N or JSON {\"seconds\": N}." });
            control.Advance(TimeSpan.FromSeconds(by));
            return ClockJson(control);
        });
        group.MapGet("/faults", (SandboxControl control) => Results.Json(control.Faults.All.ToDictionary(f => f.Key, f => FaultJson(f.Value))));
        group.MapPut("/faults/{region}", async (string region, HttpContext http, SandboxControl control) =>
        {
            JsonNode? json;
            try { json = await ReadJsonAsync(http); }
            catch (JsonException ex) { return Results.BadRequest(new { message = ex.Message }); }
            var fault = new RegionFault(
                TimeSpan.FromMilliseconds(json?["latencyMs"]?.GetValue<double>() ?? 0),
                json?["outage"]?.GetValue<bool>() ?? false,
                json?["throttle"]?.GetValue<bool>() ?? false);
            control.Faults.Set(region, fault);
            return Results.Json(FaultJson(fault));
        });
        group.MapDelete("/faults/{region}", (string region, SandboxControl control) =>
        {
            control.Faults.Clear(region);
            return Results.NoContent();
        });
        group.MapDelete("/faults", (SandboxControl control) =>
        {
            foreach (var region in control.Faults.All.Keys.ToList()) control.Faults.Clear(region);
            return Results.NoContent();
        });
        group.MapGet("/quotas", (SandboxOptions options) => Results.Json(new { enforce = options.EnforceQuotas }));
        group.MapPut("/quotas", async (HttpContext http, SandboxOptions options) =>
        {
            JsonNode? json;
            try { json = await ReadJsonAsync(http); }
            catch (JsonException ex) { return Results.BadRequest(new { message = ex.Message }); }
            if (json?["enforce"] is not JsonValue value || !value.TryGetValue<bool>(out var enforce))
                return Results.BadRequest(new { message = "Give JSON {\"enforce\": true} or {\"enforce\": false}." });
            options.EnforceQuotas = enforce;
            return Results.Json(new { enforce });
        });
        group.MapPost("/reset", (SandboxControl control) =>
        {
            control.Reset();
            return ClockJson(control);
        });
        return app;
    }

    private static IResult ClockJson(SandboxControl control) => Results.Json(new
    {
        now = control.Clock.UtcNow,
        epochSeconds = control.Clock.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
    });

    private static object FaultJson(RegionFault fault) =>
        new { latencyMs = fault.Latency.TotalMilliseconds, outage = fault.Outage, throttle = fault.Throttle };

    private static async Task<JsonNode?> ReadJsonAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }
}
