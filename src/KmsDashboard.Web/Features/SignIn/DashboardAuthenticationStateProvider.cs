using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace KmsDashboard.Web.Features.SignIn;

/// <summary>
/// Re-checks an open page's user every <see cref="SignInOptions.RevalidationInterval"/> (default 30 s): once the session
/// is signed out, expired or superseded by a sign-in with other roles, the circuit's user becomes anonymous, so what
/// the page then asks Core to do is refused.
/// </summary>
public sealed class DashboardAuthenticationStateProvider(ILoggerFactory loggers, SignInSessions sessions, IOptions<SignInOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<DashboardAuthenticationStateProvider>();

    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (await sessions.ProblemAsync(authenticationState.User, cancellationToken) is not { } problem) return true;
        _logger.LogInformation("An open page of {User} lost its sign-in: {Problem}", authenticationState.User.Identity?.Name, problem);
        return false;
    }
}
