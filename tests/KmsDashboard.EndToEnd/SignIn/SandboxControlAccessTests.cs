using System.Net;
using System.Security.Claims;
using KmsDashboard.Core.Security;
using KmsDashboard.EndToEnd.Infrastructure;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Web.Features.Regions;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// The embedded sandbox's faults and clock change only for an Admin, on the server: the page's SandboxControls checks
/// the role at the moment of the change, and the sandbox's own HTTP control endpoint (which checks no role and any
/// local process could call) is off unless Sandbox:EnableControlEndpoint=true.
/// </summary>
public sealed class SandboxControlAccessTests : IAsyncLifetime
{
    private readonly DashboardAppFactory _factory = new();
    private Uri _baseUrl = default!;

    public Task InitializeAsync()
    {
        _baseUrl = _factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static ClaimsPrincipal User(string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, role.ToLowerInvariant()), new Claim(ClaimTypes.Role, role)], "Test", ClaimTypes.Name, ClaimTypes.Role));

    [Fact]
    public async Task TheEmbeddedSandboxServesNoUnauthenticatedControlEndpoint()
    {
        var sandbox = _factory.Services.GetRequiredService<SandboxServer>();
        var clock = sandbox.Services.GetRequiredService<SandboxClock>();
        var before = clock.UtcNow;
        using var http = new HttpClient { BaseAddress = sandbox.Url };

        using var advance = await http.PostAsync("/_sandbox/clock/advance?seconds=2592000", null);
        using var outage = await http.PutAsync("/_sandbox/faults/us-east-1", new StringContent("{\"outage\":true}", System.Text.Encoding.UTF8, "application/json"));
        using var reset = await http.PostAsync("/_sandbox/reset", null);

        // Not served: the requests fall through to the AWS APIs, which refuse them.
        Assert.False(advance.IsSuccessStatusCode, $"clock/advance answered {advance.StatusCode}");
        Assert.False(outage.IsSuccessStatusCode, $"faults answered {outage.StatusCode}");
        Assert.False(reset.IsSuccessStatusCode, $"reset answered {reset.StatusCode}");
        Assert.True(clock.UtcNow - before < TimeSpan.FromDays(1), "The clock moved.");
        Assert.False(sandbox.Services.GetRequiredService<SandboxFaults>().For("us-east-1").Outage);
        using var health = await http.GetAsync("/_sandbox/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);   // the sandbox itself still answers
    }

    [Theory]
    [InlineData(DashboardRoles.Viewer)]
    [InlineData(DashboardRoles.Auditor)]
    [InlineData(DashboardRoles.Operator)]
    public async Task OnlyAnAdminChangesFaultsOrTheClockOnTheServer(string role)
    {
        var controls = _factory.Services.GetRequiredService<SandboxControls>();
        var faults = _factory.Services.GetRequiredService<SandboxServer>().Services.GetRequiredService<SandboxFaults>();
        var before = controls.ClockNow;

        var outage = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => controls.SetOutageAsync(User(role), "eu-west-1", true));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => controls.AdvanceClockAsync(User(role), TimeSpan.FromDays(30)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => controls.ClearAllAsync(new ClaimsPrincipal(new ClaimsIdentity())));

        Assert.Contains("need the Admin role", outage.Message);
        Assert.False(faults.For("eu-west-1").Outage);
        Assert.True(controls.ClockNow - before < TimeSpan.FromDays(1));
    }
}
