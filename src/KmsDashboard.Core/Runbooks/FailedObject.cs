namespace KmsDashboard.Core.Runbooks;

/// <summary>An object step 6 could not re-encrypt, and why; retried when the step runs again.</summary>
public sealed record FailedObject(string Key, string Error);
