using System.Security.Claims;
using KmsDashboard.Core.Aws;
using KmsDashboard.Core.Security;
using KmsDashboard.Sandbox.Hosting;
using Microsoft.AspNetCore.Authorization;

namespace KmsDashboard.Web.Features.Regions;

/// <summary>
/// The embedded sandbox's fault injection and clock, for the Regions page. Available only in Sandbox mode;
/// every change re-probes the Regions it touched so the page shows its effect at once. Changing anything needs the
/// Admin role, checked here at the moment of the change (an outage or a moved clock affects every user).
/// </summary>
public sealed class SandboxControls(IServiceProvider services, RegionHealth health, IAuthorizationService authorization)
{
    private readonly SandboxServer? _server = services.GetService<SandboxServer>();

    public bool IsAvailable => _server is not null;

    private SandboxFaults Faults => Server.Services.GetRequiredService<SandboxFaults>();

    private SandboxClock Clock => Server.Services.GetRequiredService<SandboxClock>();

    private SandboxServer Server => _server ?? throw new InvalidOperationException("The sandbox controls exist only when Backend:Mode is Sandbox.");

    /// <summary>The sandbox's notion of now (real time plus however far it was moved forward).</summary>
    public DateTimeOffset ClockNow => Clock.UtcNow;

    /// <summary>"outage", "throttling", "+500 ms", combined; empty when the Region is healthy.</summary>
    public string DescribeFault(string region)
    {
        if (_server is null) return "";
        var fault = Faults.For(region);
        var parts = new List<string>(3);
        if (fault.Outage) parts.Add("outage");
        if (fault.Throttle) parts.Add("throttling");
        if (fault.Latency > TimeSpan.Zero) parts.Add($"+{fault.Latency.TotalMilliseconds:0} ms");
        return string.Join(", ", parts);
    }

    /// <summary>The most latency the page lets one add to a Region.</summary>
    public static readonly TimeSpan MaxLatency = TimeSpan.FromSeconds(10);

    public TimeSpan LatencyIn(string region) => _server is null ? TimeSpan.Zero : Faults.For(region).Latency;

    public bool HasOutage(string region) => _server is not null && Faults.For(region).Outage;

    public bool IsThrottled(string region) => _server is not null && Faults.For(region).Throttle;

    /// <summary>Whether <paramref name="user"/> may change faults and the clock (Admin).</summary>
    public async Task<bool> CanControlAsync(ClaimsPrincipal user) =>
        _server is not null && (await authorization.AuthorizeAsync(user, DashboardPolicies.CanAdminister)).Succeeded;

    public async Task SetOutageAsync(ClaimsPrincipal user, string region, bool outage)
    {
        await DemandAsync(user);
        await ChangeAsync(region, f => f with { Outage = outage });
    }

    public async Task SetThrottleAsync(ClaimsPrincipal user, string region, bool throttle)
    {
        await DemandAsync(user);
        await ChangeAsync(region, f => f with { Throttle = throttle });
    }

    public async Task SetLatencyAsync(ClaimsPrincipal user, string region, TimeSpan latency)
    {
        if (latency < TimeSpan.Zero || latency > MaxLatency)
            throw new ArgumentOutOfRangeException(nameof(latency), $"Added latency must be between 0 and {MaxLatency.TotalSeconds:0} seconds.");
        await DemandAsync(user);
        await ChangeAsync(region, f => f with { Latency = latency });
    }

    public async Task ClearAsync(ClaimsPrincipal user, string region)
    {
        await DemandAsync(user);
        Faults.Clear(Known(region));
        await health.ProbeAsync(region);
    }

    public async Task ClearAllAsync(ClaimsPrincipal user)
    {
        await DemandAsync(user);
        Faults.Reset();
        await health.ProbeAllAsync();
    }

    public async Task AdvanceClockAsync(ClaimsPrincipal user, TimeSpan by)
    {
        if (by <= TimeSpan.Zero || by > TimeSpan.FromDays(3650))
            throw new ArgumentOutOfRangeException(nameof(by), "The clock moves forward by between 1 second and 10 years.");
        await DemandAsync(user);
        Clock.Advance(by);
    }

    private async Task DemandAsync(ClaimsPrincipal user)
    {
        if (_server is not null)
        {
            var result = await authorization.AuthorizeAsync(user, DashboardPolicies.CanAdminister);
            if (result.Succeeded) return;
            if (AuthorizationRefusal.HasRoles(user, DashboardPolicies.CanAdminister) && AuthorizationRefusal.StepUpReason(result) is { } stepUp)
                throw new UnauthorizedAccessException(stepUp);
        }
        var who = user.Identity?.IsAuthenticated == true ? user.Identity.Name : "A signed-out visitor";
        throw new UnauthorizedAccessException($"{who} may not change the sandbox: faults and the clock need the Admin role.");
    }

    private Task ChangeAsync(string region, Func<RegionFault, RegionFault> change)
    {
        Faults.Set(Known(region), change(Faults.For(region)));
        return health.ProbeAsync(region);
    }

    private string Known(string region) => health.Regions.Any(r => r.Region == region)
        ? region
        : throw new ArgumentException($"'{region}' is not one of the configured Regions.", nameof(region));
}
