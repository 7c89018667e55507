namespace KmsDashboard.Core.Runbooks;

/// <summary>An alias in one Region that the rotation moves to the new key (and a rollback moves back).</summary>
public sealed record AliasMove(string Region, string AliasName);
