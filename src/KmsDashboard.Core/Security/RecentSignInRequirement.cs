using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Core.Security;

/// <summary>
/// Step-up for destructive actions: the user must have signed in within <see cref="DashboardAuthorizationOptions.StepUpWithin"/>.
/// Part of the <see cref="DashboardPolicies.CanAdminister"/> policy, so Core's guarded path checks it at the moment of
/// the action (planning and executing), whatever the page showed.
/// </summary>
public sealed class RecentSignInRequirement : IAuthorizationRequirement;

/// <summary>The <c>Authentication</c> settings Core's policies use.</summary>
public sealed class DashboardAuthorizationOptions
{
    /// <summary>
    /// How recent a sign-in destructive actions need (<c>Authentication:StepUpWithin</c>, the app's default 15 minutes).
    /// Null or zero: no step-up (Core alone, as in its tests).
    /// </summary>
    public TimeSpan? StepUpWithin { get; set; }
}

/// <summary>Checks <see cref="DashboardUser.SignedInAtClaim"/> against the clock; fails with a reason that says what to do.</summary>
public sealed class RecentSignInHandler(IOptionsMonitor<DashboardAuthorizationOptions> options, TimeProvider? time = null)
    : AuthorizationHandler<RecentSignInRequirement>
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecentSignInRequirement requirement)
    {
        var within = options.CurrentValue.StepUpWithin;
        if (within is not { } limit || limit <= TimeSpan.Zero)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        var signedInAt = DashboardUser.SignedInAt(context.User);
        var age = signedInAt is { } at ? _time.GetUtcNow() - at : (TimeSpan?)null;
        if (age is { } a && a <= limit && a >= TimeSpan.FromMinutes(-5))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }
        context.Fail(new AuthorizationFailureReason(this, StepUpMessage(limit, age)));
        return Task.CompletedTask;
    }

    public const string SignInAgainHint = "Sign in again (\"Sign in again\" at the top right) and retry.";

    private static string StepUpMessage(TimeSpan limit, TimeSpan? age) =>
        $"Disabling, deleting and changing primaries need a sign-in within the last {Minutes(limit)}; " +
        (age is { } a ? $"yours was {Minutes(a)} ago. " : "this sign-in does not say when it happened. ") + SignInAgainHint;

    private static string Minutes(TimeSpan span) => span.TotalMinutes < 1
        ? $"{Math.Max(0, (int)span.TotalSeconds)} seconds"
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} minute{((int)span.TotalMinutes == 1 ? "" : "s")}");
}

/// <summary>Turns a failed authorization into the message Core shows and journals.</summary>
public static class AuthorizationRefusal
{
    /// <summary>The step-up reason when that is why <paramref name="result"/> failed, else null (a missing role).</summary>
    public static string? StepUpReason(AuthorizationResult result) =>
        result.Failure?.FailureReasons.FirstOrDefault(r => r.Handler is RecentSignInHandler)?.Message;

    /// <summary>Whether <paramref name="user"/> holds the policy's roles, ignoring the step-up.</summary>
    public static bool HasRoles(ClaimsPrincipal user, string policy) =>
        DashboardPolicies.Roles.TryGetValue(policy, out var roles) && user.Identity?.IsAuthenticated == true && roles.Any(user.IsInRole);
}
