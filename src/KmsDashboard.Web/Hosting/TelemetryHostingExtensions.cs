using System.Diagnostics;
using KmsDashboard.Core.Telemetry;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KmsDashboard.Web.Hosting;

/// <summary>
/// OpenTelemetry for the dashboard's own source and meter (<see cref="DashboardTelemetry"/>), ASP.NET Core and
/// HttpClient: OTLP export when an endpoint is configured, a Prometheus scrape endpoint when enabled.
/// </summary>
public static class TelemetryHostingExtensions
{
    public static WebApplicationBuilder AddDashboardTelemetry(this WebApplicationBuilder builder)
    {
        // Every AWS SDK client built from here on reports its requests (a no-op while nobody listens).
        AwsCallTelemetry.Register();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitTelemetry>());

        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.OtlpEnabled && !options.Prometheus.Enabled) return builder; // nothing to export to: no SDK at all

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName, serviceVersion: typeof(TelemetryHostingExtensions).Assembly.GetName().Version?.ToString()));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(DashboardTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (options.Prometheus.Enabled) metrics.AddPrometheusExporter();
            if (options.OtlpEnabled) metrics.AddOtlpExporter(o => Configure(o, options.Otlp));
        });
        if (options.OtlpEnabled)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(DashboardTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/_blazor") || http.Request.Path == "/_blazor/negotiate")
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => Configure(o, options.Otlp)));
        }
        return builder;
    }

    /// <summary>Spans and counts for exports; the Prometheus scrape endpoint when enabled (404 otherwise).</summary>
    public static WebApplication UseDashboardTelemetry(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } route } || !IsExport(route))
            {
                await next(http);
                return;
            }
            using var activity = DashboardTelemetry.Source.StartActivity("export " + route);
            activity?.SetTag(DashboardTelemetry.ExportTag, route);
            try
            {
                await next(http);
            }
            finally
            {
                var status = http.RequestAborted.IsCancellationRequested ? "aborted" : http.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                activity?.SetTag(DashboardTelemetry.StatusCodeTag, http.Response.StatusCode);
                if (http.Response.StatusCode >= 500 || status == "aborted") activity?.SetStatus(ActivityStatusCode.Error, status);
                DashboardTelemetry.Exports.Add(1, new KeyValuePair<string, object?>(DashboardTelemetry.ExportTag, route),
                    new KeyValuePair<string, object?>(DashboardTelemetry.OutcomeTag, status));
            }
        });

        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        if (options.Prometheus.Enabled)
        {
            // Counts by Region, operation and outcome only: no key ids, names or users. Restrict it at the proxy if needed.
            app.MapPrometheusScrapingEndpoint(options.Prometheus.Path).AllowAnonymous();
        }
        return app;
    }

    /// <summary>The dashboard's download endpoints: CSV / JSON exports of the key map, journal, audit and runbooks.</summary>
    private static bool IsExport(string route) =>
        route.Contains("export", StringComparison.OrdinalIgnoreCase) || route.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions.OtlpSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.Endpoint)) exporter.Endpoint = new Uri(settings.Endpoint);
        exporter.Protocol = settings.Protocol == TelemetryOptions.OtlpTransport.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        if (!string.IsNullOrWhiteSpace(settings.Headers)) exporter.Headers = settings.Headers;
    }
}
