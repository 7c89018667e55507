using System.Globalization;
using System.Security.Claims;
using KmsDashboard.Core.Actions;
using KmsDashboard.Core.Security;
using KmsDashboard.EndToEnd.Infrastructure;
using KmsDashboard.Sandbox.Hosting;
using KmsDashboard.Web.Features.Regions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace KmsDashboard.EndToEnd.SignIn;

/// <summary>
/// Step-up: destructive actions need a sign-in within Authentication:StepUpWithin (default 15 minutes), checked by the
/// CanAdminister policy itself, so Core's guarded path refuses a stale Admin at the moment of the action with a message
/// that says to sign in again, and sends nothing.
/// </summary>
public sealed class StepUpTests : IAsyncLifetime
{
    private readonly DashboardAppFactory _factory = new();

    public Task InitializeAsync()
    {
        _factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    private static ClaimsPrincipal Admin(TimeSpan signedInAgo) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, "ann"),
        new Claim(ClaimTypes.Role, DashboardRoles.Admin),
        new Claim(DashboardUser.SignedInAtClaim, DateTimeOffset.UtcNow.Subtract(signedInAgo).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ], "Test", ClaimTypes.Name, ClaimTypes.Role));

    [Fact]
    public async Task AnAdminWhoSignedInLongAgoIsRefusedDestructiveActionsWithASignInAgainMessage()
    {
        var authorization = _factory.Services.GetRequiredService<IAuthorizationService>();
        var operations = _factory.Services.GetRequiredService<KeyOperations>();
        var calls = new List<SandboxCall>();
        using var subscription = _factory.Services.GetRequiredService<SandboxServer>().Services.GetRequiredService<SandboxCallLog>()
            .Subscribe(c => { lock (calls) calls.Add(c); });
        var stale = Admin(TimeSpan.FromMinutes(40));

        var result = await authorization.AuthorizeAsync(stale, DashboardPolicies.CanAdminister);
        var plan = await operations.PlanAsync(stale, new DisableKeyRequest { KeyId = "mrk-0123456789abcdef0123456789abcdef", Region = "us-east-1" }, default);

        Assert.False(result.Succeeded);
        Assert.Equal(PlanStatus.Forbidden, plan.Status);
        var message = Assert.Single(plan.Problems);
        Assert.Contains("need a sign-in within the last 15 minutes; yours was 40 minutes ago", message);
        Assert.Contains("Sign in again", message);
        lock (calls) Assert.DoesNotContain(calls, c => c.Operation == "DisableKey" || c.ToString().Contains("0123456789abcdef0123456789abcdef", StringComparison.Ordinal));
        // Reversible actions do not need the step-up.
        Assert.True((await authorization.AuthorizeAsync(stale, DashboardPolicies.CanOperate)).Succeeded);
    }

    [Fact]
    public async Task AFreshSignInPassesAndAMissingSignInTimeDoesNot()
    {
        var authorization = _factory.Services.GetRequiredService<IAuthorizationService>();
        var undated = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "old"), new Claim(ClaimTypes.Role, DashboardRoles.Admin)], "Test", ClaimTypes.Name, ClaimTypes.Role));

        Assert.True((await authorization.AuthorizeAsync(Admin(TimeSpan.FromMinutes(2)), DashboardPolicies.CanAdminister)).Succeeded);
        var refused = await authorization.AuthorizeAsync(undated, DashboardPolicies.CanAdminister);
        Assert.False(refused.Succeeded);
        Assert.Contains("does not say when it happened", AuthorizationRefusal.StepUpReason(refused));
    }

    [Fact]
    public async Task SandboxFaultsNeedTheStepUpToo()
    {
        var controls = _factory.Services.GetRequiredService<SandboxControls>();

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => controls.SetOutageAsync(Admin(TimeSpan.FromHours(1)), "eu-west-1", true));

        Assert.Contains("Sign in again", refused.Message);
        Assert.False(controls.HasOutage("eu-west-1"));
    }
}
