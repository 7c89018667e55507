namespace KmsDashboard.Web.Features.SignIn;

/// <summary>
/// The local sign-in (pick a user name and roles). Unset, it is on with the sandbox backend and off against AWS;
/// <c>false</c> turns it off. Against AWS (<c>Backend:Mode=Aws</c>) it is refused at start unless
/// <see cref="AllowWithAws"/> is set, whatever the environment's name.
/// </summary>
public sealed class LocalSignInOptions
{
    public bool? Enabled { get; set; }

    /// <summary>
    /// Lets the local sign-in run against a real AWS account (anyone who reaches the page can pick Admin). Logs a
    /// warning at every start and shows a red banner on every page. Only for a test account on a private machine.
    /// </summary>
    public bool AllowWithAws { get; set; }
}
