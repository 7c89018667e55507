using System.ComponentModel.DataAnnotations;

namespace KmsDashboard.Web.Hosting;

/// <summary>The <c>Telemetry</c> section: where traces and metrics go (nothing is exported unless told).</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>The <c>service.name</c> every span and metric carries.</summary>
    [Required, MinLength(1)]
    public string ServiceName { get; set; } = "kmsdashboard";

    /// <summary>OTLP export of traces and metrics (to an OpenTelemetry Collector, Jaeger, Tempo, …).</summary>
    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>A Prometheus scrape endpoint for the metrics.</summary>
    public PrometheusSettings Prometheus { get; set; } = new();

    public sealed class OtlpSettings
    {
        /// <summary>
        /// The collector's URL, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c>
        /// (HTTP). Empty: no OTLP export, unless the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set.
        /// </summary>
        public string? Endpoint { get; set; }

        /// <summary><c>Grpc</c> (default) or <c>HttpProtobuf</c>.</summary>
        public OtlpTransport Protocol { get; set; } = OtlpTransport.Grpc;

        /// <summary>Extra headers, <c>name=value</c> pairs separated by commas (an API key for a hosted backend).</summary>
        public string? Headers { get; set; }
    }

    public sealed class PrometheusSettings
    {
        /// <summary>Serve the metrics at <see cref="Path"/> in the Prometheus text format (off by default).</summary>
        public bool Enabled { get; set; }

        public string Path { get; set; } = "/metrics";
    }

    public enum OtlpTransport { Grpc, HttpProtobuf }

    /// <summary>OTLP is on when an endpoint is configured here or in the standard environment variable.</summary>
    public bool OtlpEnabled => !string.IsNullOrWhiteSpace(Otlp.Endpoint)
                               || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Otlp.Endpoint) && !(Uri.TryCreate(Otlp.Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            yield return new ValidationResult($"{Section}:Otlp:Endpoint must be an http(s) URL such as http://otel-collector:4317 (it is '{Otlp.Endpoint}').");
        if (string.IsNullOrWhiteSpace(Prometheus.Path) || !Prometheus.Path.StartsWith('/') || Prometheus.Path.Length < 2)
            yield return new ValidationResult($"{Section}:Prometheus:Path must be a path such as /metrics (it is '{Prometheus.Path}').");
    }
}
