using KmsDashboard.Core.Approvals;
using KmsDashboard.Core.Security;
using KmsDashboard.Web.Features.SignIn;

namespace KmsDashboard.Web.Features.Approvals;

public static class ApprovalsHostingExtensions
{
    /// <summary>
    /// The two-person rule: approvals.db, the expiry sweep and /approvals. <c>Safety:RequireApproval</c> left unset is on
    /// when OpenID Connect sign-in is configured and off with the local sign-in alone (anyone picks their own name there).
    /// </summary>
    public static WebApplicationBuilder AddApprovals(this WebApplicationBuilder builder)
    {
        builder.Services.AddApprovals(builder.Environment.ContentRootPath);
        builder.Services.AddOptions<SafetyOptions>().PostConfigure<SignInSchemes>((o, schemes) => o.RequireApproval ??= schemes.Oidc);
        return builder;
    }
}
