namespace KmsDashboard.Web.Features.SignIn;

/// <summary>
/// The local sign-in (pick a user name and roles). Unset, it is on in Development, in the Sandbox environment and with
/// the sandbox backend, and off elsewhere; <c>true</c> turns it on anywhere (never do that in production).
/// </summary>
public sealed class LocalSignInOptions
{
    public bool? Enabled { get; set; }
}
