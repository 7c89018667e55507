namespace KmsDashboard.Web.Features.SignIn;

/// <summary>Which sign-ins this instance offers, decided once at start-up.</summary>
public sealed record SignInSchemes(bool Local, bool Oidc, bool AnonymousRead = false);
