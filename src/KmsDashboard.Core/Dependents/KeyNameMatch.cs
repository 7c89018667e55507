namespace KmsDashboard.Core.Dependents;

/// <summary>
/// The key a name resolves to (its id, the Region it lives in and, with several accounts, its account) and how it was named.
/// </summary>
public sealed record KeyNameMatch(string KeyId, string Region, KeyNameKind Kind, string Account = "");
