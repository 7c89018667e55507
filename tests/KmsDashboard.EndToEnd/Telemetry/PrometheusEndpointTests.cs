using System.Net;
using KmsDashboard.EndToEnd.Infrastructure;

namespace KmsDashboard.EndToEnd.Telemetry;

/// <summary>The Prometheus scrape endpoint: served with the dashboard's metrics when enabled, absent (404) when not.</summary>
public sealed class PrometheusEndpointTests(PrometheusEndpointTests.Apps apps) : IClassFixture<PrometheusEndpointTests.Apps>
{
    /// <summary>Two dashboards for the class: one with <c>Telemetry:Prometheus:Enabled</c>, one with the default (off).</summary>
    public sealed class Apps : IAsyncLifetime
    {
        private readonly DashboardAppFactory _enabled = new(new Dictionary<string, string?> { ["Telemetry:Prometheus:Enabled"] = "true" });
        private readonly DashboardAppFactory _disabled = new();

        public Uri Enabled { get; private set; } = default!;
        public Uri Disabled { get; private set; } = default!;

        public Task InitializeAsync()
        {
            Enabled = _enabled.Start();
            Disabled = _disabled.Start();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            await _enabled.DisposeAsync();
            await _disabled.DisposeAsync();
        }
    }

    [Fact]
    public async Task WhenEnabledMetricsServesTheRefreshAndAwsCallMetricsInThePrometheusFormat()
    {
        using var http = new HttpClient { BaseAddress = apps.Enabled };
        string[] names =
        [
            "kmsdashboard_inventory_region_duration_seconds_bucket", "kmsdashboard_inventory_refresh_duration_seconds_count",
            "kmsdashboard_aws_calls_total", "kmsdashboard_aws_call_duration_seconds_count", "kmsdashboard_exports_total",
        ];
        var csv = await http.GetAsync("/inventory/keymap.csv"); // an export: traced and counted
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);

        // The refresh at start reads the embedded sandbox; its metrics appear once it has run.
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var response = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync();
            if (names.All(text.Contains)) break;
            await Task.Delay(500);
        }

        Assert.All(names, name => Assert.Contains(name, text));
        Assert.Contains("aws_region=\"eu-west-1\"", text);
        Assert.Contains("rpc_method=\"DescribeKey\"", text);
        Assert.Contains("rpc_service=\"KMS\"", text);
        Assert.Contains("kmsdashboard_export=\"/inventory/keymap.csv\"", text);
    }

    [Fact]
    public async Task WhenNotEnabledThereIsNoMetricsEndpoint()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = apps.Disabled };

        var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("kmsdashboard_", await response.Content.ReadAsStringAsync());
    }
}
