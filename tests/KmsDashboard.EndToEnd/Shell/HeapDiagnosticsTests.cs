using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KmsDashboard.EndToEnd.Infrastructure;

namespace KmsDashboard.EndToEnd.Shell;

/// <summary>GET /_diagnostics/heap (the circuits benchmark's probe) exists only with Diagnostics:HeapEndpoint=true.</summary>
public sealed class HeapDiagnosticsTests
{
    [Fact]
    public async Task OffByDefault()
    {
        await using var factory = new DashboardAppFactory();
        using var http = new HttpClient { BaseAddress = factory.Start() };
        var response = await http.GetAsync("/_diagnostics/heap");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OnItAnswersTheLiveHeapCpuAndCircuits()
    {
        await using var factory = new DashboardAppFactory(new Dictionary<string, string?> { ["Diagnostics:HeapEndpoint"] = "true" });
        using var http = new HttpClient { BaseAddress = factory.Start() };
        var report = await http.GetFromJsonAsync<JsonElement>("/_diagnostics/heap");
        Assert.InRange(report.GetProperty("liveBytes").GetInt64(), 1_000_000, long.MaxValue);
        Assert.True(report.GetProperty("cpuMs").GetDouble() > 0);
        Assert.Equal(0, report.GetProperty("circuits").GetInt32());
        Assert.Equal(0, report.GetProperty("connectedCircuits").GetInt32());
    }
}
